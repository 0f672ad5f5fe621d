"""The Postgres research cache is shared across processes: a second provider hits it."""

from __future__ import annotations

from bench.synthetic import synthetic_jobs, write_snapshot
from storage.research_cache import PostgresResearchCache
from tools.research.cache import CachedResearchProvider
from tools.research.recorded import RecordedResearchProvider


class Counting(RecordedResearchProvider):
    def __init__(self, directory) -> None:  # type: ignore[no-untyped-def]
        super().__init__(directory)
        self.calls = 0

    async def fetch_page(self, url: str):  # type: ignore[no-untyped-def]
        self.calls += 1
        return await super().fetch_page(url)


async def test_two_providers_share_one_postgres_cache(pg_pool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    jobs = synthetic_jobs(3, publishers=1)
    snapshot = write_snapshot(tmp_path / "r", jobs)
    first_inner, second_inner = Counting(snapshot), Counting(snapshot)
    first = CachedResearchProvider(first_inner, PostgresResearchCache(pg_pool))
    second = CachedResearchProvider(second_inner, PostgresResearchCache(pg_pool))
    view = first.for_job()
    page = await view.fetch_page(jobs[0].target_url)
    pages = await view.publisher_pages(jobs[0].publisher_domain)
    assert page.ok and pages and first_inner.calls >= 1
    other = second.for_job()
    again = await other.fetch_page(jobs[0].target_url)
    await other.publisher_pages(jobs[0].publisher_domain)
    assert again == page
    assert second_inner.calls == 0  # served from Postgres, not fetched again
    assert len(other.cache_hits) == 2
    kinds = {r["kind"] for r in await pg_pool.fetch("SELECT kind FROM research_cache")}
    assert kinds == {"page", "publisher"}
