"""Leases: which worker runs which job, claimed with SKIP LOCKED, lost when they expire.

A worker owns a running job until its lease expires; then any worker may take the job over
(a crashed worker's job is resumed from its last checkpoint). Every claim counts an attempt.
"""

from __future__ import annotations

from datetime import timedelta

from storage.pool import Pool
from storage.records import Job
from storage.repositories._sql import ACTIVE_STATUSES_SQL

__all__ = ["LeaseRepository"]


class LeaseRepository:
    """The lease SQL on the `jobs` table, for workers."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def claim_next(
        self, owner: str, *, lease_s: float, batch_id: str | None = None
    ) -> Job | None:
        """Lease the next job to `owner`, or return None when there is none.

        Takes queued jobs and running jobs whose lease expired, highest priority first, then
        oldest; with `batch_id`, only that batch's jobs. Concurrent callers never receive the
        same job (FOR UPDATE SKIP LOCKED).
        """
        row = await self._pool.fetchrow(
            """
            UPDATE jobs AS j SET
                status = 'running',
                lease_owner = $1,
                lease_expires_at = now() + $2::interval,
                attempts = j.attempts + 1,
                started_at = coalesce(j.started_at, now()),
                updated_at = now()
            WHERE j.id = (
                SELECT id FROM jobs
                WHERE (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
                  AND ($3::text IS NULL OR batch_id = $3)
                ORDER BY priority DESC, created_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            RETURNING j.*
            """,
            owner,
            timedelta(seconds=lease_s),
            batch_id,
        )
        return Job.from_row(row) if row is not None else None

    async def live_leases(self, owner_prefix: str) -> list[tuple[str, str]]:
        """Return (job id, owner) of running jobs leased to owners starting with the prefix."""
        rows = await self._pool.fetch(
            "SELECT id, lease_owner FROM jobs WHERE status = 'running'"
            " AND lease_owner LIKE $1 || '%' AND lease_expires_at >= now()",
            owner_prefix,
        )
        return [(row["id"], row["lease_owner"]) for row in rows]

    async def acquire_lease(self, job_id: str, owner: str, *, lease_s: float) -> Job | None:
        """Lease one job to `owner`; None if it ended or another owner holds a live lease."""
        row = await self._pool.fetchrow(
            f"""
            UPDATE jobs SET
                status = 'running',
                attempts = attempts + CASE WHEN lease_owner = $2 THEN 0 ELSE 1 END,
                lease_owner = $2,
                lease_expires_at = now() + $3::interval,
                started_at = coalesce(started_at, now()),
                updated_at = now()
            WHERE id = $1 AND status IN {ACTIVE_STATUSES_SQL}
              AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at < now())
            RETURNING *
            """,
            job_id,
            owner,
            timedelta(seconds=lease_s),
        )
        return Job.from_row(row) if row is not None else None

    async def renew_lease(self, job_id: str, owner: str, *, lease_s: float) -> bool:
        """Extend `owner`'s lease; False if the job is no longer leased to `owner`."""
        job = await self._pool.fetchval(
            "UPDATE jobs SET lease_expires_at = now() + $3::interval, updated_at = now()"
            " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id",
            job_id,
            owner,
            timedelta(seconds=lease_s),
        )
        return job is not None

    async def release_lease(self, job_id: str, owner: str, *, requeue: bool = False) -> bool:
        """Drop `owner`'s lease; with `requeue` a still-running job goes back to the queue."""
        job = await self._pool.fetchval(
            """
            UPDATE jobs SET
                lease_owner = NULL,
                lease_expires_at = NULL,
                status = CASE WHEN $3 AND status = 'running' THEN 'queued' ELSE status END,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2
            RETURNING id
            """,
            job_id,
            owner,
            requeue,
        )
        return job is not None

    async def list_left_running(self) -> list[Job]:
        """Return running jobs nobody holds a live lease on: work to resume after a restart."""
        rows = await self._pool.fetch(
            """
            SELECT * FROM jobs
            WHERE status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())
            ORDER BY priority DESC, created_at, id
            """
        )
        return [Job.from_row(row) for row in rows]
