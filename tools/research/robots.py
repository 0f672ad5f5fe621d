"""robots.txt rules per origin, fetched once and cached (RFC 9309 semantics)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from schemas.errors import FetchError, FetchRefusedError, TransientFetchError

__all__ = ["RobotsCache", "RobotsFetch"]

RobotsFetch = Callable[[str], Awaitable[bytes]]
"""Fetch a robots.txt URL and return its body; raises the fetcher's typed errors."""


@dataclass
class _Entry:
    parser: RobotFileParser | None  # None: no usable robots.txt, everything is allowed
    expires_at: float


class RobotsCache:
    """Answer "may this URL be fetched?" from each origin's robots.txt."""

    def __init__(
        self,
        fetch: RobotsFetch,
        user_agent: str,
        *,
        ttl_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._user_agent = user_agent
        self._ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """Return True when robots.txt lets our user agent fetch `url`.

        A 4xx answer (or a redirect the SSRF guard refuses) means "no rules". Otherwise an
        unreadable robots.txt means "disallow", as RFC 9309 asks.

        Raises:
            FetchError: robots.txt could not be read (redirect loop, too large, TLS rejected).
            TransientFetchError: robots.txt is unreachable or answered 429 or 5xx.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        entry = self._entries.get(origin)
        if entry is None or entry.expires_at <= self._clock():
            lock = self._locks.setdefault(origin, asyncio.Lock())
            async with lock:
                entry = self._entries.get(origin)
                if entry is None or entry.expires_at <= self._clock():
                    entry = await self._load(origin)
                    self._entries[origin] = entry
        return entry.parser is None or entry.parser.can_fetch(self._user_agent, url)

    async def _load(self, origin: str) -> _Entry:
        robots_url = f"{origin}/robots.txt"
        expires_at = self._clock() + self._ttl_s
        try:
            body = await self._fetch(robots_url)
        except FetchRefusedError:
            # robots.txt redirected somewhere we will not go: treat it as unavailable.
            return _Entry(None, expires_at)
        except TransientFetchError as exc:
            # No status field: the page's evidence must not look like the page answered it.
            raise TransientFetchError(
                f"robots.txt is unreachable ({exc.message})", url=robots_url, reason="robots"
            ) from exc
        except FetchError as exc:
            status = exc.fields.get("status")
            if isinstance(status, int) and 400 <= status < 500:
                return _Entry(None, expires_at)
            raise FetchError(
                f"robots.txt is unreadable ({exc.message}); assuming fetching is disallowed",
                url=robots_url,
                reason="robots",
            ) from exc
        parser = RobotFileParser(robots_url)
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return _Entry(parser, expires_at)
