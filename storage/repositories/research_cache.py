"""The research cache: fetched pages and SERPs, reused until they expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage.pool import Pool

__all__ = ["ResearchCacheRepository"]


class ResearchCacheRepository:
    """All SQL on the `research_cache` table. Expiry uses the database clock."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def get(self, kind: str, key: str) -> Any | None:
        """Return the cached value, or None when absent or expired."""
        return await self._pool.fetchval(
            "SELECT value FROM research_cache WHERE kind = $1 AND key = $2"
            " AND (expires_at IS NULL OR expires_at > now())",
            kind,
            key,
        )

    async def put(self, kind: str, key: str, value: Any, *, ttl_s: float | None) -> None:
        """Store `value` (JSON-able) for `ttl_s` seconds (None: until deleted)."""
        await self._pool.execute(
            """
            INSERT INTO research_cache (kind, key, value, expires_at)
            VALUES ($1, $2, $3, now() + $4::interval)
            ON CONFLICT (kind, key) DO UPDATE
            SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, created_at = now()
            """,
            kind,
            key,
            value,
            None if ttl_s is None else timedelta(seconds=ttl_s),
        )

    async def delete(self, kind: str, key: str) -> bool:
        """Drop one entry; True if it existed."""
        deleted = await self._pool.fetchval(
            "DELETE FROM research_cache WHERE kind = $1 AND key = $2 RETURNING key", kind, key
        )
        return deleted is not None

    async def purge_expired(self) -> int:
        """Delete expired entries; return how many."""
        status: str = await self._pool.execute(
            "DELETE FROM research_cache WHERE expires_at <= now()"
        )
        return int(status.rsplit(" ", 1)[-1])
