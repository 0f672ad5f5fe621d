"""ResearchCacheRepository: values expire after their TTL."""

from __future__ import annotations

import asyncio

import pytest

from storage.pool import Pool
from storage.repositories import ResearchCacheRepository

pytestmark = pytest.mark.postgres


@pytest.fixture
def cache(pg_pool: Pool) -> ResearchCacheRepository:
    return ResearchCacheRepository(pg_pool)


async def test_put_get_overwrite(cache: ResearchCacheRepository) -> None:
    page = {"url": "https://villaliv.se/", "title": "Villaliv", "links": ["a", "b"]}
    assert await cache.get("page", "https://villaliv.se/") is None
    await cache.put("page", "https://villaliv.se/", page, ttl_s=60)
    assert await cache.get("page", "https://villaliv.se/") == page
    assert await cache.get("serp", "https://villaliv.se/") is None  # kinds are separate

    await cache.put("page", "https://villaliv.se/", {"title": "new"}, ttl_s=60)
    assert await cache.get("page", "https://villaliv.se/") == {"title": "new"}


async def test_ttl_expiry_and_purge(cache: ResearchCacheRepository) -> None:
    await cache.put("serp", "laddbox|sv", {"results": []}, ttl_s=0.2)
    await cache.put("serp", "forever|sv", {"results": [1]}, ttl_s=None)
    await cache.put("serp", "long|sv", {"results": [2]}, ttl_s=3600)
    assert await cache.get("serp", "laddbox|sv") == {"results": []}

    await asyncio.sleep(0.3)
    assert await cache.get("serp", "laddbox|sv") is None
    assert await cache.purge_expired() == 1
    assert await cache.purge_expired() == 0
    assert await cache.get("serp", "forever|sv") == {"results": [1]}
    assert await cache.get("serp", "long|sv") == {"results": [2]}

    # An expired entry is refreshed by a new put.
    await cache.put("serp", "laddbox|sv", {"results": [3]}, ttl_s=60)
    assert await cache.get("serp", "laddbox|sv") == {"results": [3]}


async def test_delete(cache: ResearchCacheRepository) -> None:
    await cache.put("page", "k", [1, 2], ttl_s=None)
    assert await cache.delete("page", "k")
    assert not await cache.delete("page", "k")
    assert await cache.get("page", "k") is None
