"""Batches: a named group of jobs run together (one CSV, one API call)."""

from __future__ import annotations

from storage.errors import BatchNotFoundError
from storage.ids import new_batch_id
from storage.pool import Pool
from storage.records import Batch, BatchStatus

__all__ = ["BatchRepository"]


class BatchRepository:
    """All SQL on the `batches` table."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def create(
        self,
        name: str,
        *,
        source: str | None = None,
        concurrency: int = 1,
        batch_id: str | None = None,
    ) -> Batch:
        """Create a batch (a fresh random id unless `batch_id` is given)."""
        row = await self._pool.fetchrow(
            "INSERT INTO batches (id, name, source, concurrency) VALUES ($1, $2, $3, $4)"
            " RETURNING *",
            batch_id or new_batch_id(),
            name,
            source,
            concurrency,
        )
        return Batch.from_row(row)

    async def create_or_get(
        self, batch_id: str, name: str, *, source: str | None = None, concurrency: int = 1
    ) -> tuple[Batch, bool]:
        """Create the batch unless it exists; return it and whether it was created."""
        row = await self._pool.fetchrow(
            "INSERT INTO batches (id, name, source, concurrency) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (id) DO NOTHING RETURNING *",
            batch_id,
            name,
            source,
            concurrency,
        )
        if row is not None:
            return Batch.from_row(row), True
        return await self.get(batch_id), False

    async def get(self, batch_id: str) -> Batch:
        """Return the batch.

        Raises:
            BatchNotFoundError: no such batch.
        """
        row = await self._pool.fetchrow("SELECT * FROM batches WHERE id = $1", batch_id)
        if row is None:
            raise BatchNotFoundError(batch_id)
        return Batch.from_row(row)

    async def list_batches(self, *, limit: int = 50, offset: int = 0) -> list[Batch]:
        """Return batches, newest first."""
        rows = await self._pool.fetch(
            "SELECT * FROM batches ORDER BY created_at DESC, id LIMIT $1 OFFSET $2", limit, offset
        )
        return [Batch.from_row(row) for row in rows]

    async def set_status(self, batch_id: str, status: BatchStatus) -> Batch:
        """Set the batch's status; finishing or cancelling it stamps `finished_at`."""
        row = await self._pool.fetchrow(
            """
            UPDATE batches SET
                status = $2,
                finished_at = CASE WHEN $2 IN ('finished', 'cancelled')
                              THEN coalesce(finished_at, now()) ELSE NULL END
            WHERE id = $1
            RETURNING *
            """,
            batch_id,
            BatchStatus(status).value,
        )
        if row is None:
            raise BatchNotFoundError(batch_id)
        return Batch.from_row(row)

    async def refresh_counts(self, batch_id: str) -> Batch:
        """Recount the batch's jobs by status; a batch whose jobs all ended becomes finished."""
        row = await self._pool.fetchrow(
            """
            WITH counts AS (
                SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb) AS counts,
                       coalesce(sum(n) FILTER (WHERE status IN ('queued', 'running')), 0) AS open,
                       coalesce(sum(n), 0) AS total
                FROM (SELECT status, count(*) AS n FROM jobs WHERE batch_id = $1
                      GROUP BY status) AS per_status
            )
            UPDATE batches AS b SET
                counts = c.counts,
                status = CASE WHEN c.total > 0 AND c.open = 0 AND b.status <> 'cancelled'
                         THEN 'finished' ELSE b.status END,
                finished_at = CASE WHEN c.total > 0 AND c.open = 0
                              THEN coalesce(b.finished_at, now()) ELSE b.finished_at END
            FROM counts AS c
            WHERE b.id = $1
            RETURNING b.*
            """,
            batch_id,
        )
        if row is None:
            raise BatchNotFoundError(batch_id)
        return Batch.from_row(row)
