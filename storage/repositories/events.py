"""Job events: the append-only timeline of a job's node transitions."""

from __future__ import annotations

from typing import Any

from storage.pool import Pool
from storage.records import EventKind, JobEvent

__all__ = ["EventRepository"]


class EventRepository:
    """All SQL on the `job_events` table."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def append(
        self,
        job_id: str,
        event: EventKind | str,
        *,
        node: str | None = None,
        duration_ms: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> JobEvent:
        """Append one event to the job's timeline."""
        row = await self._pool.fetchrow(
            "INSERT INTO job_events (job_id, node, event, duration_ms, detail)"
            " VALUES ($1, $2, $3, $4, $5) RETURNING *",
            job_id,
            node,
            str(event),
            duration_ms,
            detail,
        )
        return JobEvent.from_row(row)

    async def timeline(
        self, job_id: str, *, after_id: int = 0, limit: int = 1000
    ) -> list[JobEvent]:
        """Return the job's events in order; `after_id` continues from a previous page."""
        rows = await self._pool.fetch(
            "SELECT * FROM job_events WHERE job_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            job_id,
            after_id,
            limit,
        )
        return [JobEvent.from_row(row) for row in rows]
