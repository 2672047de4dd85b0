"""The replay site's HTTP server (loopback only), with optional hostile pages for robustness tests."""

from __future__ import annotations

import bisect
import contextlib
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawler.replay import pages
from crawler.replay.corpus import ReplayArticle, edited

OUTLET = "Báo Tin Nhanh"
FEED_SIZE = 50
PAGE_SIZE = 20
HOSTILE_FEEDS = ("xml-hong.rss", "html.rss", "trong.rss", "404.rss", "500.rss", "cham.rss", "tong-hop.rss")


class ReplaySite:
    """Serves `articles` at http://HOST:PORT; only those published by `clock()` are visible.

    HOST is any loopback address: several sites on 127.0.0.1, 127.0.0.2, … are several outlets, each with a
    domain of its own (`outlet`: its slug and name)."""

    def __init__(
        self,
        articles: list[ReplayArticle],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        hostile: bool = False,
        slow_s: float = 5.0,
        outlet: tuple[str, str] = ("bao-tin-nhanh", OUTLET),
    ) -> None:
        if not _loopback(host):
            raise ValueError("the replay site only listens on the loopback interface")
        self.outlet_slug, self.outlet_name = outlet
        self._articles = {a.n: a for a in articles}
        # Publication order, for O(log n) "what is published now" on every request of a 20,000-article site.
        self._by_time = sorted(articles, key=lambda a: (a.published_at, a.n))
        self._times = [a.published_at for a in self._by_time]
        self._position = {a.n: i for i, a in enumerate(self._by_time)}
        self._lock = threading.Lock()
        self.clock = clock
        self.hostile = hostile
        self.slow_s = slow_s
        self.requests = 0
        self._server = _QuietServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._rendered: dict[int, bytes] = {}
        self.robots = "User-agent: *\nDisallow: /rieng-tu/\n"
        # Pages a test sets by hand (a recorded article, then its edit, a 404, a redirect…): path → answer.
        self.pinned: dict[str, Pinned] = {}
        self.hits: list[Hit] = []  # every request as the server saw it, for tests of politeness

    def prerender(self) -> None:
        """Render every article page now, so that serving costs no CPU: a benchmark's stand-in for the internet
        should not compete with the crawler it measures for this machine's cores. Edits drop the cached page."""
        for article in self._by_time:
            self._rendered[article.n] = self._render(article)

    def _render(self, article: ReplayArticle) -> bytes:
        others = [a for a in self.published(14) if a.n != article.n]
        return pages.article_page(self.base, article, others, self.outlet_name).encode()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ReplaySite:
        self._thread = threading.Thread(target=self._server.serve_forever, name="replay-site", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- content -----------------------------------------------------------------------------------------

    def published(self, newest: int | None = None) -> list[ReplayArticle]:
        """The articles published by now, newest first (only the `newest` ones if given)."""
        now = self.clock()
        with self._lock:
            count = bisect.bisect_right(self._times, now)
            start = 0 if newest is None else max(0, count - newest - 8)  # a few spare for taken-down ones
            visible = [a for a in reversed(self._by_time[start:count]) if not a.gone]
        return visible if newest is None else visible[:newest]

    def article(self, n: int) -> ReplayArticle | None:
        """Article `n` if it is published and not taken down."""
        with self._lock:
            found = self._articles.get(n)
        if found is None or found.gone or found.published_at > self.clock():
            return None
        return found

    def _replace(self, article: ReplayArticle) -> None:
        self._rendered.pop(article.n, None)
        self._articles[article.n] = article
        self._by_time[self._position[article.n]] = article

    def edit(self, n: int, addition: str) -> ReplayArticle:
        with self._lock:
            self._replace(edited(self._articles[n], at=self.clock(), addition=addition))
            return self._articles[n]

    def take_down(self, n: int) -> None:
        with self._lock:
            self._replace(replace(self._articles[n], gone=True))

    def pin(self, path: str, body: bytes = b"", *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        """Answer `path` with this page from now on (an `ETag` header makes the site answer 304 to a request
        that names it in If-None-Match)."""
        with self._lock:
            self.pinned[path] = Pinned(status, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})

    def redirect(self, path: str, to: str, *, status: int = 301) -> None:
        """Answer `path` with a redirect to `to` (a path or an address)."""
        self.pin(path, status=status, headers={"Location": to})

    def sources_yaml(
        self, *, poll_interval_s: int = 60, concurrency: int = 8, kinds: tuple[str, ...] = ("rss", "sitemap")
    ) -> str:
        """A source registry naming this site (for THADS_CRAWLER__SOURCES_FILE)."""
        return "outlets:\n" + self.outlet_yaml(poll_interval_s=poll_interval_s, concurrency=concurrency, kinds=kinds)

    def outlet_yaml(
        self, *, poll_interval_s: int = 60, concurrency: int = 8, kinds: tuple[str, ...] = ("rss", "sitemap")
    ) -> str:
        """This site's entry of a source registry's `outlets` (to list several sites in one registry)."""
        host = urlsplit(self.base).hostname
        paths = {"rss": "/rss/tin-moi.rss", "sitemap": "/sitemap-news.xml", "listing": "/tin-moi"}
        feeds = [
            f'      - {{url: "{self.base}{paths[kind]}", kind: {kind}, poll_interval_s: {poll_interval_s}}}'
            for kind in kinds
        ]
        if self.hostile:
            feeds += [f'      - {{url: "{self.base}/loi/{name}", kind: rss}}' for name in HOSTILE_FEEDS]
        return (
            f"  - slug: {self.outlet_slug}\n    name: {self.outlet_name} (trang phát lại)\n"
            f"    domain: {host}\n    kind: national\n    reach_tier: 1\n    download_delay_s: 0\n"
            f"    concurrency: {concurrency}\n    feeds:\n" + "\n".join(feeds) + "\n"
        )

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        """(status, content type, body) for a path."""
        self.requests += 1
        html, xml = "text/html; charset=utf-8", "application/rss+xml; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", self.robots.encode()
        if path == "/rss/tin-moi.rss":
            return 200, xml, pages.rss(self.base, self.published(FEED_SIZE), self.outlet_name).encode()
        if path == "/sitemap-news.xml":
            return 200, "application/xml", pages.sitemap(self.base, self.published()).encode()
        if path in ("/", "/tin-moi"):
            page = int((query.get("trang") or ["1"])[0])
            newest = self.published(page * PAGE_SIZE + 1)
            chunk = newest[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            has_next = len(newest) > page * PAGE_SIZE
            return 200, html, pages.listing(self.base, chunk, page, has_next, self.outlet_name).encode()
        if path.startswith("/phap-luat/") and path.endswith(".html"):
            n = int(path.rsplit("-", 1)[-1].removesuffix(".html"))
            article = self.article(n)
            if article is None:
                return 404, html, "<html><body><h1>Không tìm thấy trang</h1></body></html>".encode()
            cached = self._rendered.get(n)
            return 200, html, cached if cached is not None else self._render(article)
        if self.hostile and path.startswith("/loi/"):
            return self._hostile(path.removeprefix("/loi/"), self.published(40))
        return 404, html, "<html><body><h1>Không tìm thấy trang</h1></body></html>".encode()

    def _hostile(self, name: str, visible: list[ReplayArticle]) -> tuple[int, str, bytes]:
        xml = "application/rss+xml; charset=utf-8"
        good = pages.rss(self.base, visible[:5], self.outlet_name)
        if name == "xml-hong.rss":  # cut in the middle of an item
            return 200, xml, good[: good.index("<item>", len(good) // 2) + 40].encode()
        if name == "html.rss":
            return 200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body><h1>Trang chu</h1></body></html>"
        if name == "trong.rss":
            return 200, xml, b""
        if name in ("404.rss", "500.rss"):
            return int(name[:3]), "text/html", b"<html><body>Loi</body></html>"
        if name == "cham.rss":
            time.sleep(self.slow_s)
            return 200, xml, good.encode()
        if name == "tong-hop.rss":  # good items mixed with bad pages
            bad = [f"{self.base}/loi/{p}" for p in ("lon.html", "sai-charset.html", "khong-phai-bai.html", "404.html")]
            items = "".join(f"<item><title>Trang lỗi {i}</title><link>{url}</link></item>" for i, url in enumerate(bad))
            return 200, xml, good.replace("</channel>", items + "</channel>").encode()
        if name == "lon.html":  # 50 MB
            return 200, "text/html; charset=utf-8", b"<html><body>" + b"<p>x</p>" * (50 * 1024 * 1024 // 8)
        if name == "sai-charset.html" and visible:
            others = visible[1:10]
            page = pages.article_page(self.base, visible[0], others, self.outlet_name).replace('charset="utf-8"', "")
            page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
            return 200, "text/html; charset=iso-8859-1", page.encode("utf-8")
        if name == "khong-phai-bai.html":
            return (
                200,
                "text/html; charset=utf-8",
                pages.listing(self.base, visible[:30], 1, False, self.outlet_name).encode(),
            )
        return 404, "text/html", b"<html><body>Loi</body></html>"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Pinned:
    status: int
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 128  # a crawler opens many connections at once

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a crawler abandoning a 50 MB page) is not an error of the site."""


def _handler(site: ReplaySite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            site.hits.append(Hit(time.monotonic(), parts.path, {k.lower(): v for k, v in self.headers.items()}))
            pinned = site.pinned.get(parts.path)
            if pinned is not None:
                self._answer_pinned(pinned)
                return
            try:
                status, content_type, body = site.route(parts.path, parse_qs(parts.query))
            except (ValueError, KeyError):
                status, content_type, body = 400, "text/plain", b"bad request"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
                self.wfile.write(body)

        def _answer_pinned(self, pinned: Pinned) -> None:
            etag = pinned.headers.get("ETag")
            fresh = etag is not None and self.headers.get("If-None-Match") == etag
            self.send_response(304 if fresh else pinned.status)
            for name, value in pinned.headers.items():
                self.send_header(name, value)
            body = b"" if fresh else pinned.body
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
