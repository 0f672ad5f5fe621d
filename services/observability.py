"""Structured logs: JSON lines carrying the request, job, batch and node they belong to.

`log_context(job_id=..., batch_id=...)` binds ids for everything logged inside it (asyncio
tasks started inside inherit them). Inside a graph node the job id and node name also come
from LangChain's run config, so node code logs with `log.info(...)` and no extra arguments.
Messages are scrubbed of credentials (URL user:password, bearer tokens, api keys) and an
exception is logged as its type and message only: no stack traces in the log stream.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from langchain_core.runnables.config import var_child_runnable_config

__all__ = [
    "CONTEXT_FIELDS",
    "ContextFilter",
    "JsonFormatter",
    "configure_logging",
    "current_context",
    "log_context",
    "redact",
]

CONTEXT_FIELDS = ("request_id", "job_id", "batch_id", "node")

_context: ContextVar[dict[str, str]] = ContextVar("bacowr_log_context", default={})  # noqa: B039

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/\s@:]*(:[^/\s@]*)?@")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=\-]+")
_KEY_PARAM = re.compile(
    r"(?i)\b(api[_-]?key|access_token|token|password|secret)(\s*[=:]\s*)['\"]?[^\s&'\",]+"
)
_OPENAI_KEY = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    """Return `text` with credentials masked: URL passwords, bearer tokens, key=value secrets."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('scheme')}***@", text)
    text = _BEARER.sub(r"\1***", text)
    text = _KEY_PARAM.sub(r"\1\2***", text)
    return _OPENAI_KEY.sub("sk-***", text)


@contextmanager
def log_context(**ids: str | None) -> Iterator[None]:
    """Bind ids (job_id, batch_id, node, request_id) to every record logged inside."""
    merged = {**_context.get(), **{k: v for k, v in ids.items() if v}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> dict[str, str]:
    """Return the ids bound here, with the job and node of the running graph node, if any."""
    ids = dict(_context.get())
    config = var_child_runnable_config.get()
    if config:
        thread_id = (config.get("configurable") or {}).get("thread_id")
        node = (config.get("metadata") or {}).get("langgraph_node")
        if thread_id and "job_id" not in ids:
            ids["job_id"] = str(thread_id)
        if node:
            ids["node"] = str(node)
    return ids


class ContextFilter(logging.Filter):
    """Copy the bound ids onto each record (an explicit `extra=` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current_context().items():
            if getattr(record, key, None) is None:
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context ids, extra fields."""

    # Standard record attributes, and uvicorn's ANSI-coloured copy of the message.
    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {
        "message",
        "asctime",
        "color_message",
    }

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_") and value is not None:
                entry[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            entry["error"] = redact(f"{type(exc).__name__}: {exc}")[:1000]
        return json.dumps(entry, ensure_ascii=False, default=str)


class _PlainFormatter(logging.Formatter):
    """Human-readable lines with the same scrubbing and no stack traces."""

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if hasattr(record, k))
        line = f"{record.levelname} {record.name}: {redact(record.getMessage())}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            line += redact(f" ({type(exc).__name__}: {exc})")
        return f"{line} [{ids}]" if ids else line


def configure_logging(*, json: bool = True, level: int | str = logging.INFO) -> logging.Handler:
    """Send every log record to stderr as JSON (or plain text) with the context ids.

    Replaces the handler an earlier call installed, so calling it twice is harmless; uvicorn's
    loggers are routed through the same handler.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_bacowr", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._bacowr = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if json else _PlainFormatter())
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # the request middleware logs requests
    return handler
