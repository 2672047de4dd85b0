"""A hostile server on loopback that drip-feeds its answer (one byte every `every_s`), for tests and probes of
the deadlines of single requests: each read succeeds quickly, so only an overall deadline ends the request."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = "<html><head><title>Bài viết nhỏ giọt</title></head><body><p>{}</p></body></html>".format("Thi hành án. " * 200)


class DripServer:
    """GET / answers 200 with the headers at once, then the body one byte at a time; GET /dau-trang drips the
    status line and headers as well."""

    def __init__(self, *, every_s: float = 1.0) -> None:
        self.every_s = every_s
        self.stopping = threading.Event()
        self.paths: list[str] = []  # requested, in order
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> DripServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="drip-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def drip(self, write: BaseHTTPRequestHandler, data: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
            for byte in data:
                if self.stopping.is_set():
                    return
                write.wfile.write(bytes([byte]))
                write.wfile.flush()
                time.sleep(self.every_s)


def _handler(server: DripServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.paths.append(self.path)
            body = PAGE.encode()
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            if self.path.startswith("/dau-trang"):
                server.drip(self, head + body)
                return
            self.wfile.write(head)
            self.wfile.flush()
            server.drip(self, body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
