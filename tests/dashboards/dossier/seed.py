"""A case for the dossier tests: Hà Nội's story of the web tests' site, its first article captured three times
(the outlet's page as first stored, then a real recorded page twice: as recorded and edited, the edit also
pointing at resources on a loopback server that records every request), and a response with a file."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alerts import cases as workflow
from alerts import triage
from storage.articles import add_snapshot, get_article, list_snapshots
from storage.views.queue import story_copies
from tests.conftest import shared_path
from tests.dashboards.web.site import Site

RECORDED = "thanhnien1.html"  # a court report of Báo Thanh Niên, saved in 2012
EDIT = ("127 gram", "172 gram")  # the outlet changes one figure
ATTACHMENT_NAME = "Công văn trả lời số 12.pdf"
ATTACHMENT = b"%PDF-1.4\n" + "Công văn trả lời báo Thanh Niên".encode() + b"\n%%EOF\n"


@dataclass(frozen=True)
class SeededCase:
    case_id: int
    article_id: int
    pages: tuple[bytes, ...]  # the article's snapshots, first captured first


class Recorder:
    """An HTTP server on loopback that answers everything and remembers each path asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                paths.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"


@contextmanager
def recorder() -> Iterator[Recorder]:
    found = Recorder()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()
        thread.join(timeout=10)


def remote_references(base: str) -> bytes:
    return (
        f'<link rel="stylesheet" href="{base}/kieu.css"><img src="{base}/anh.png" alt="">'
        f'<iframe src="{base}/khung.html"></iframe><script src="{base}/ma.js"></script>'
    ).encode()


def edited_page(recorded: bytes, base: str) -> bytes:
    """The recorded page with one figure changed and loads from `base` right after <body ...>."""
    old, new = (part.encode() for part in EDIT)
    assert recorded.count(old) == 1
    page = recorded.replace(old, new)
    start = page.index(b"<body")
    end = page.index(b">", start) + 1
    return page[:end] + remote_references(base) + page[end:]


def seed_case(site: Site, base: str) -> SeededCase:
    at = site.clock.now
    recorded = shared_path("fixtures", "html", RECORDED).read_bytes()
    edited = edited_page(recorded, base)
    with site.database.session() as session:
        story = site.stories["hanoi"]
        article_id = story_copies(session, story.id)[0].article_id
        article = get_article(session, article_id)
        assert article is not None
        for minutes, page in ((30, recorded), (90, edited)):
            add_snapshot(
                session,
                article_id=article_id,
                url=article.url,
                html=page,
                content_hash=f"{minutes:064d}",
                fetched_at=article.fetched_at + dt.timedelta(minutes=minutes),
            )
        config = site.app.state.ctx.workflow
        case = triage.confirm(session, story.id, config=config, actor="giamsat@cucthads.vn", now=at, priority="P2")
        assert case.id is not None
        workflow.acknowledge(session, case.id, actor="daumoi.hanoi@thads.vn", at=at)
        stored = workflow.store_attachment_bytes(ATTACHMENT, ATTACHMENT_NAME, site.app.state.ctx.attachments_dir)
        workflow.respond(
            session,
            case.id,
            kind="van_ban_tra_loi",
            text="Cục THADS Hà Nội đã có văn bản trả lời báo Thanh Niên.",
            actor="daumoi.hanoi@thads.vn",
            at=at,
            attachments=(stored,),
        )
        pages = tuple(s.html for s in list_snapshots(session, article_id))
    assert len(pages) == 3
    return SeededCase(case_id=case.id, article_id=article_id, pages=pages)


def data_dir(site: Site) -> Path:
    folder = site.app.state.ctx.attachments_dir.parent
    assert isinstance(folder, Path)
    return folder
