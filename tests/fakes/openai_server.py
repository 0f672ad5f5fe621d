"""A loopback OpenAI-compatible chat server whose behaviour each test scripts.

Runs a real HTTP server on 127.0.0.1 in a thread; records every request (time, body) so tests
count at the server what the client really sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What the server answers to one request."""

    status: int = 200
    content: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    raw_body: bytes | None = None  # sent as is (malformed JSON, ...)
    usage: tuple[int, int] = (50, 20)


def chat_body(content: str, usage: tuple[int, int], model: str = "fake") -> dict[str, Any]:
    """Return an OpenAI chat.completion body."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": usage[0] + usage[1],
        },
    }


@dataclass
class Seen:
    at: float
    body: dict[str, Any]


Responder = Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    """Scripted replies (a list, consumed in order) or a responder function."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.script: list[Reply] = []
        self.responder = responder
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self.url = ""

    def reply_for(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(Seen(time.monotonic(), body))
            if self.script:
                return self.script.pop(0)
        if self.responder is not None:
            return self.responder(body)
        return Reply(status=500, content="script exhausted")

    @property
    def base_url(self) -> str:
        return self.url + "/v1"


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            return None

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            reply = fake.reply_for(body)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.raw_body is not None:
                payload = reply.raw_body
            elif reply.status == 200:
                payload = json.dumps(chat_body(reply.content, reply.usage)).encode()
            else:
                payload = json.dumps({"error": {"message": reply.content or "error"}}).encode()
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and hung up

        def do_GET(self) -> None:
            payload = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def serve(fake: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """Serve `fake` on an ephemeral loopback port for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """Return a loopback port with nothing listening on it (an endpoint that is down)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
