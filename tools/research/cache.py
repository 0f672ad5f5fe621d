"""A research cache shared by every job in the process, with coalesced concurrent lookups.

`CachedResearchProvider` wraps any `ResearchProvider`. Pages are cached by URL, SERP results by
(query, language), publisher page lists by domain. Concurrent lookups of one key share a single
load, so 200 jobs on 20 publishers fetch each publisher once. Each job reads through its own
view (`for_job()`), which records the keys that were served without a fetch of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from pydantic import TypeAdapter

from schemas.evidence import PageEvidence, SerpEvidence
from tools.research.base import ResearchProvider
from tools.research.recorded import normalise_query

__all__ = [
    "CachedResearchProvider",
    "InMemoryResearchCache",
    "JobResearchView",
    "ResearchCache",
    "page_key",
    "publisher_key",
    "serp_key",
]

T = TypeVar("T")
_PAGES = TypeAdapter(list[PageEvidence])


class ResearchCache(Protocol):
    """Key -> JSON text with a time to live (a Postgres table can implement it later)."""

    async def get(self, key: str) -> str | None:
        """Return the stored value, or None when absent or expired."""
        ...

    async def set(self, key: str, value: str, ttl_s: float) -> None:
        """Store `value` under `key` for `ttl_s` seconds."""
        ...


class InMemoryResearchCache:
    """A `ResearchCache` in a bounded dict; the oldest entries go first when it is full."""

    def __init__(
        self, *, max_entries: int = 20_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        return value

    async def set(self, key: str, value: str, ttl_s: float) -> None:
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + ttl_s, value)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)


def page_key(url: str) -> str:
    """Return the cache key of a page."""
    return f"page:{url.strip().rstrip('/')}"


def serp_key(query: str, language: str) -> str:
    """Return the cache key of one query's results."""
    return f"serp:{language.lower()}:{normalise_query(query)}"


def publisher_key(domain: str, limit: int) -> str:
    """Return the cache key of a publisher's page list."""
    return f"publisher:{domain.strip().lower().removeprefix('www.').rstrip('/')}:{limit}"


class CachedResearchProvider:
    """A `ResearchProvider` that serves repeated lookups from a shared cache.

    Only evidence without `error` is stored, so a timeout is retried by the next job, but
    concurrent lookups still share one attempt.
    """

    def __init__(
        self,
        inner: ResearchProvider,
        cache: ResearchCache | None = None,
        *,
        ttl_s: float = 7 * 24 * 3600,
        serp_ttl_s: float | None = None,
    ) -> None:
        self._inner = inner
        self._cache: ResearchCache = cache if cache is not None else InMemoryResearchCache()
        self._ttl_s = ttl_s
        self._serp_ttl_s = ttl_s if serp_ttl_s is None else serp_ttl_s
        self._inflight: dict[str, asyncio.Task[Any]] = {}
        self.hits = 0
        self.misses = 0

    def for_job(self) -> JobResearchView:
        """Return a view for one job; its `cache_hits` lists the keys it did not fetch itself."""
        return JobResearchView(self)

    async def fetch_page(self, url: str) -> PageEvidence:
        """Fetch one page through the cache."""
        return await self._fetch_page(url, None)

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        """Return a publisher's pages through the cache."""
        return await self._publisher_pages(domain, limit, None)

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Search through the cache."""
        return await self._search(query, language, None)

    async def _fetch_page(self, url: str, hits: list[str] | None) -> PageEvidence:
        return await self._lookup(
            page_key(url),
            lambda: self._inner.fetch_page(url),
            dump=lambda page: page.model_dump_json(),
            parse=PageEvidence.model_validate_json,
            keep=lambda page: page.error is None,
            ttl_s=self._ttl_s,
            hits=hits,
        )

    async def _publisher_pages(
        self, domain: str, limit: int, hits: list[str] | None
    ) -> list[PageEvidence]:
        return await self._lookup(
            publisher_key(domain, limit),
            lambda: self._inner.publisher_pages(domain, limit),
            dump=lambda pages: _PAGES.dump_json(pages).decode(),
            parse=_PAGES.validate_json,
            keep=lambda pages: bool(pages) and pages[0].ok,
            ttl_s=self._ttl_s,
            hits=hits,
        )

    async def _search(self, query: str, language: str, hits: list[str] | None) -> SerpEvidence:
        return await self._lookup(
            serp_key(query, language),
            lambda: self._inner.search(query, language),
            dump=lambda serp: serp.model_dump_json(),
            parse=SerpEvidence.model_validate_json,
            keep=lambda serp: serp.error is None,
            ttl_s=self._serp_ttl_s,
            hits=hits,
        )

    async def _lookup(
        self,
        key: str,
        load: Callable[[], Awaitable[T]],
        *,
        dump: Callable[[T], str],
        parse: Callable[[str], T],
        keep: Callable[[T], bool],
        ttl_s: float,
        hits: list[str] | None,
    ) -> T:
        task = self._inflight.get(key)
        if task is None:
            stored = await self._cache.get(key)
            if stored is not None:
                self._record_hit(key, hits)
                return parse(stored)
            task = self._inflight.get(key)  # another job may have started while we looked
        if task is not None:
            self._record_hit(key, hits)
        else:
            self.misses += 1
            task = asyncio.create_task(self._load(key, load, dump, keep, ttl_s))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        # shield: one job being cancelled must not cancel the load the others wait for.
        result: T = await asyncio.shield(task)
        return result

    async def _load(
        self,
        key: str,
        load: Callable[[], Awaitable[T]],
        dump: Callable[[T], str],
        keep: Callable[[T], bool],
        ttl_s: float,
    ) -> T:
        value = await load()
        if keep(value) and ttl_s > 0:
            await self._cache.set(key, dump(value), ttl_s)
        return value

    def _forget(self, key: str, done: asyncio.Task[Any]) -> None:
        if self._inflight.get(key) is done:
            del self._inflight[key]

    def _record_hit(self, key: str, hits: list[str] | None) -> None:
        self.hits += 1
        if hits is not None:
            hits.append(key)


class JobResearchView:
    """One job's window on a `CachedResearchProvider` (itself a `ResearchProvider`)."""

    def __init__(self, parent: CachedResearchProvider) -> None:
        self._parent = parent
        self.cache_hits: list[str] = []

    async def fetch_page(self, url: str) -> PageEvidence:
        """Fetch one page through the shared cache, noting a hit."""
        return await self._parent._fetch_page(url, self.cache_hits)

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        """Return a publisher's pages through the shared cache, noting a hit."""
        return await self._parent._publisher_pages(domain, limit, self.cache_hits)

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Search through the shared cache, noting a hit."""
        return await self._parent._search(query, language, self.cache_hits)
