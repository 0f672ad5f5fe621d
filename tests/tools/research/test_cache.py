"""The shared research cache: coalescing, per-job hit records, TTL, what is not cached."""

from __future__ import annotations

import asyncio

import pytest

from schemas.evidence import PageEvidence, SerpEvidence
from tools.research.base import ResearchProvider
from tools.research.cache import CachedResearchProvider, InMemoryResearchCache, page_key

from .conftest import LiveFactory
from .servers import ARTICLE_PATHS, LoopbackServer, Route, StaticResolver, add_publisher

PUBLISHERS = [f"pub{i}.test" for i in range(4)]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_batch_fetches_each_publisher_once(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    for host in PUBLISHERS:
        resolver.table[host] = ["127.0.0.1"]
        add_publisher(server, host)
    cached = CachedResearchProvider(live(fetch_allow_hosts=[*PUBLISHERS, "127.0.0.1"]))
    jobs = [cached.for_job() for _ in range(40)]

    async def run(n: int) -> None:
        job = jobs[n]
        domain = f"http://{PUBLISHERS[n % 4]}:{server.port}"
        await asyncio.gather(job.publisher_pages(domain), job.fetch_page(server.url("/sv")))

    await asyncio.gather(*(run(n) for n in range(40)))

    assert isinstance(cached, ResearchProvider) and isinstance(jobs[0], ResearchProvider)
    for host in PUBLISHERS:
        for path in ("/", "/om-oss", *ARTICLE_PATHS[:2]):
            assert server.count(path, host=host) == 1, (host, path)
    assert server.count("/sv") == 1
    # Per publisher, one job fetched and nine were served; the target page, once and 39.
    publisher_hits = [k for job in jobs for k in job.cache_hits if k.startswith("publisher:")]
    assert len(publisher_hits) == 36
    assert sum(page_key(server.url("/sv")) in job.cache_hits for job in jobs) == 39
    assert (cached.hits, cached.misses) == (75, 5)


async def test_repeated_lookups_hit_until_the_ttl_expires(
    server: LoopbackServer, live: LiveFactory
):
    clock = FakeClock()
    cached = CachedResearchProvider(live(), InMemoryResearchCache(clock=clock), ttl_s=60)
    first, second, third = cached.for_job(), cached.for_job(), cached.for_job()

    await first.fetch_page(server.url("/sv"))
    clock.now += 59
    await second.fetch_page(server.url("/sv"))
    clock.now += 2
    await third.fetch_page(server.url("/sv"))

    assert server.count("/sv") == 2
    assert (first.cache_hits, second.cache_hits, third.cache_hits) == (
        [],
        [page_key(server.url("/sv"))],
        [],
    )


async def test_failures_are_not_cached(server: LoopbackServer, live: LiveFactory):
    server.routes["/flaky"] = Route(status=503)
    cached = CachedResearchProvider(live())

    await cached.fetch_page(server.url("/flaky"))
    page = await cached.fetch_page(server.url("/flaky"))

    assert page.http_status == 503
    assert server.count("/flaky") == 2


class GatedProvider:
    """A provider whose lookups wait for a gate, counting calls."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.calls: list[str] = []

    async def fetch_page(self, url: str) -> PageEvidence:
        self.calls.append(url)
        await self.gate.wait()
        return PageEvidence(url=url, http_status=200, main_text="text")

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        return []

    async def search(self, query: str, language: str) -> SerpEvidence:
        self.calls.append(f"{query}/{language}")
        return SerpEvidence(query=query, language=language, hits=[])


async def test_a_cancelled_job_does_not_cancel_the_shared_load():
    inner = GatedProvider()
    cached = CachedResearchProvider(inner)
    leader = asyncio.create_task(cached.fetch_page("https://x.example/"))
    follower = asyncio.create_task(cached.for_job().fetch_page("https://x.example/"))
    await asyncio.sleep(0)
    leader.cancel()
    inner.gate.set()

    page = await follower

    assert page.ok
    assert inner.calls == ["https://x.example/"]
    with pytest.raises(asyncio.CancelledError):
        await leader


async def test_searches_are_keyed_by_query_and_language():
    inner = GatedProvider()
    cached = CachedResearchProvider(inner)
    job = cached.for_job()

    await job.search("Laddbox  Villa", "sv")
    await job.search("laddbox villa", "sv")
    await job.search("laddbox villa", "en")

    assert inner.calls == ["Laddbox  Villa/sv", "laddbox villa/en"]
    assert job.cache_hits == ["serp:sv:laddbox villa"]


async def test_in_memory_cache_is_bounded():
    cache = InMemoryResearchCache(max_entries=2)
    for key in ("a", "b", "c"):
        await cache.set(key, key, ttl_s=60)

    assert [await cache.get(k) for k in ("a", "b", "c")] == [None, "b", "c"]
