"""A real HTTP server on 127.0.0.1 (ephemeral port) serving scripted routes, counting requests."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Route:
    """What one path answers. `stream_bytes` sends that many bytes lazily, counting them."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stream_bytes: int | None = None
    declare_length: bool = True
    slow: bool = False


@dataclass
class Recorded:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # clients hang up mid-body on purpose in these tests


class LoopbackServer:
    """Serve routes keyed by path, or by (host, path) for name-based virtual hosts."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.host_routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Recorded] = []
        self.bytes_sent: Counter[str] = Counter()
        self.stream_done = threading.Event()
        self.release = threading.Event()  # lets slow handlers finish at teardown
        self.serper_script: list[Route] = []  # answered in order
        self.serper_by_query: dict[str, Route] = {}  # answered by the request's "q"
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self.sni_names: list[str] = []
        if ssl_context is not None:
            ssl_context.sni_callback = lambda _sock, name, _ctx: self.sni_names.append(name)
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def count(self, path: str, host: str | None = None) -> int:
        return sum(1 for r in self.requests if r.path == path and host in (None, r.host))

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _route(self, host: str, path: str) -> Route:
        route = self.host_routes.get((host, path)) or self.routes.get(path)
        return route or Route(status=404, body=b"<html><body>not found</body></html>")

    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _host(self) -> str:
            return (self.headers.get("Host") or "").rsplit(":", 1)[0]

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server._record(Recorded("GET", self._host(), path, dict(self.headers), b""))
            self._send(server._route(self._host(), path), path)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            server._record(Recorded("POST", self._host(), path, dict(self.headers), body))
            query = json.loads(body or b"{}").get("q") if path == "/search" else None
            if query in server.serper_by_query:
                self._send(server.serper_by_query[query], path)
            elif path == "/search" and server.serper_script:
                self._send(server.serper_script.pop(0), path)
            else:
                self._send(Route(status=404, body=b"{}"), path)

        def _send(self, route: Route, path: str) -> None:
            if route.slow:
                server.release.wait(timeout=10)
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.stream_bytes is not None:
                self._stream(route, path)
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def _stream(self, route: Route, path: str) -> None:
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
            if route.declare_length:
                self.send_header("Content-Length", str(route.stream_bytes))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
            try:
                remaining = route.stream_bytes or 0
                while remaining > 0:
                    piece = chunk[:remaining]
                    self.wfile.write(piece)
                    server.bytes_sent[path] += len(piece)
                    remaining -= len(piece)
            except OSError:
                pass
            finally:
                server.stream_done.set()

    return Handler


def serper_answer(*links: str, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    """A Serper-compatible JSON answer listing `links` as organic results."""
    organic = [
        {"position": i, "title": f"Result {i}", "link": link, "snippet": f"Snippet {i}"}
        for i, link in enumerate(links, start=1)
    ]
    body = json.dumps({"searchParameters": {}, "organic": organic}).encode()
    return Route(status=status, body=body, content_type="application/json", headers=headers or {})


class StaticResolver:
    """An injected DNS: names map to fixed addresses, every lookup is recorded."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = dict(table or {})
        self.lookups: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        self.lookups.append(host)
        if host in self.table:
            return self.table[host]
        raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test resolver")


ARTICLE_PATHS = (
    "/2024/05/sa-lyckas-du-med-varsadden",
    "/artiklar/byt-till-bergvarme-steg-for-steg",
    "/artiklar/malning-av-fasad-guide",
)


def article_page(title: str) -> bytes:
    """A Swedish article page with enough text for extraction."""
    paragraph = (
        f"{title} är ett ämne som många villaägare funderar på. Här går vi igenom vad du behöver "
        "veta innan du sätter igång, vad det brukar kosta och vilka misstag som är vanligast."
    )
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title} | Villaliv'
        f"</title></head><body><article><h1>{title}</h1><p>{paragraph}</p><h2>Att tänka på</h2>"
        f"<p>{paragraph}</p></article></body></html>"
    ).encode()


def add_publisher(server: LoopbackServer, host: str) -> None:
    """Serve a Swedish publisher (home, about, three articles) under the host name `host`."""
    server.host_routes[(host, "/")] = Route(body=fixture_bytes("home_sv.html"))
    server.host_routes[(host, "/om-oss")] = Route(body=fixture_bytes("about_sv.html"))
    for path in ARTICLE_PATHS:
        title = path.rsplit("/", 1)[-1].replace("-", " ").capitalize()
        server.host_routes[(host, path)] = Route(body=article_page(title))
