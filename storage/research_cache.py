"""The research cache in Postgres, shared by every worker process (the `ResearchCache` port)."""

from __future__ import annotations

import json

from storage.pool import Pool
from storage.repositories.research_cache import ResearchCacheRepository

__all__ = ["PostgresResearchCache"]


class PostgresResearchCache:
    """`tools.research.cache.ResearchCache` over the `research_cache` table.

    Keys look like `page:<url>`, `serp:<lang>:<query>`, `publisher:<domain>:<n>`: the part
    before the first colon is stored as the kind, so expiry and purges can work per kind.
    """

    def __init__(self, pool: Pool) -> None:
        self._repo = ResearchCacheRepository(pool)

    @staticmethod
    def _split(key: str) -> tuple[str, str]:
        kind, _, rest = key.partition(":")
        return (kind, rest) if rest else ("misc", key)

    async def get(self, key: str) -> str | None:
        """Return the cached JSON text, or None when absent or expired."""
        value = await self._repo.get(*self._split(key))
        return None if value is None else json.dumps(value)

    async def set(self, key: str, value: str, ttl_s: float) -> None:
        """Store JSON text for `ttl_s` seconds."""
        kind, rest = self._split(key)
        await self._repo.put(kind, rest, json.loads(value), ttl_s=ttl_s)
