"""Pure ASGI middleware: request ids, logs and metrics per request; the body size limit."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response, unexpected_error_response
from services.metrics import ApiMetrics
from services.observability import log_context

__all__ = ["BodySizeLimitMiddleware", "RequestContextMiddleware"]

log = logging.getLogger("bacowr.api.requests")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")


class BodySizeLimitMiddleware:
    """Answer 413 to a body over `max_bytes`: by its Content-Length, or by counting a stream."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._refuse(scope, receive, send)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException inside a route becomes the 413 error body.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counting_receive, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "payload_too_large", self._message())
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class RequestContextMiddleware:
    """Give each request an id (X-Request-ID), bind it to the logs, log and count the request.

    Also the last line of defence: an error no handler mapped becomes a 500 (or 503 for a
    database outage) with the request id, logged here so the log line carries that id.
    """

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex[:16]
        started = time.monotonic()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with log_context(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception as exc:
                if response_started:
                    log.warning(
                        "response to %s %s broke off: %s", scope["method"], scope["path"], exc
                    )
                    return
                response = unexpected_error_response(scope["method"], scope["path"], exc)
                await response(scope, receive, send_with_id)
            finally:
                self._record(scope, status, time.monotonic() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        self.metrics.record_request(scope["method"], route, status, seconds)
        # The path only: a query string may carry a token.
        log.info(
            "%s %s %d %.1f ms",
            scope["method"],
            scope["path"],
            status,
            seconds * 1000,
            extra={"status": status, "duration_ms": round(seconds * 1000, 1), "route": route},
        )
