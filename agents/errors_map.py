"""Classify exceptions from chat model calls: transient (retry) or not, and Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import openai

__all__ = ["is_transient_llm_error", "retry_after_seconds", "status_of"]

_TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


def status_of(exc: BaseException) -> int | None:
    """Return the HTTP status code carried by an SDK error, if any."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient_llm_error(exc: BaseException) -> bool:
    """True for timeouts, connection errors, 429 and 5xx: worth another try."""
    if isinstance(
        exc,
        openai.APITimeoutError
        | openai.APIConnectionError
        | httpx.TimeoutException
        | httpx.TransportError
        | asyncio.TimeoutError
        | TimeoutError
        | ConnectionError,
    ):
        return True
    status = status_of(exc)
    return status is not None and (status in _TRANSIENT_STATUS or status >= 500)


def retry_after_seconds(exc: BaseException, now: datetime | None = None) -> float | None:
    """Return the server's Retry-After (seconds or HTTP date) when the error carries one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw = headers.get("retry-after-ms")
    if raw:
        try:
            return max(0.0, float(raw) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        current = now or datetime.now(UTC)
        return max(0.0, (when - current).total_seconds())
