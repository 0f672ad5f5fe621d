"""Jobs: create-or-get by a stable id, queries, progress and failures."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from schemas.state import JobFailure
from storage.errors import IdempotencyConflictError, JobNotFoundError
from storage.ids import canonical_input, job_id_for
from storage.pool import Pool
from storage.records import Job, JobInput, JobStatus
from storage.repositories._sql import ACTIVE_STATUSES_SQL

__all__ = ["JobRepository"]


class JobRepository:
    """SQL for a job's lifecycle (leases: LeaseRepository; the end: commit_final)."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def create_or_get(
        self,
        input: JobInput,
        *,
        idempotency_key: str | None = None,
        batch_id: str | None = None,
        priority: int = 0,
    ) -> tuple[Job, bool]:
        """Create the job for `input` unless it exists; return it and whether it was created.

        The id is `job_id_for(input, idempotency_key)`, so a repeated request returns the job
        the first one created (with that first request's batch and priority).

        Raises:
            IdempotencyConflictError: the key is already used by a job with another input.
        """
        key = (idempotency_key or "").strip() or None
        job_id = job_id_for(input, key)
        row = await self._pool.fetchrow(
            """
            INSERT INTO jobs (id, idempotency_key, batch_id, input, priority)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING
            RETURNING *
            """,
            job_id,
            key,
            batch_id,
            input.model_dump(mode="json"),
            priority,
        )
        if row is not None:
            return Job.from_row(row), True
        existing = await self.get(job_id)
        if key is not None and canonical_input(existing.input) != canonical_input(input):
            raise IdempotencyConflictError(key, job_id)
        return existing, False

    async def find(self, job_id: str) -> Job | None:
        """Return the job, or None."""
        row = await self._pool.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)
        return Job.from_row(row) if row is not None else None

    async def get(self, job_id: str) -> Job:
        """Return the job.

        Raises:
            JobNotFoundError: no such job.
        """
        job = await self.find(job_id)
        if job is None:
            raise JobNotFoundError(job_id)
        return job

    async def list_jobs(
        self,
        *,
        batch_id: str | None = None,
        statuses: Iterable[JobStatus] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Job]:
        """Return jobs, oldest first, optionally of one batch and/or some statuses."""
        rows = await self._pool.fetch(
            """
            SELECT * FROM jobs
            WHERE ($1::text IS NULL OR batch_id = $1)
              AND ($2::text[] IS NULL OR status = ANY ($2))
            ORDER BY created_at, id
            LIMIT $3 OFFSET $4
            """,
            batch_id,
            None if statuses is None else [JobStatus(s).value for s in statuses],
            limit,
            offset,
        )
        return [Job.from_row(row) for row in rows]

    async def count_by_status(self, *, batch_id: str | None = None) -> dict[JobStatus, int]:
        """Return how many jobs are in each status (statuses with none are left out)."""
        rows = await self._pool.fetch(
            """
            SELECT status, count(*) AS n FROM jobs
            WHERE ($1::text IS NULL OR batch_id = $1)
            GROUP BY status
            """,
            batch_id,
        )
        return {JobStatus(row["status"]): row["n"] for row in rows}

    async def mark_running(self, job_id: str) -> bool:
        """Move a queued job to running; False if it already reached a terminal status."""
        return await self._update_active(
            "UPDATE jobs SET status = 'running', started_at = coalesce(started_at, now()),"
            f" updated_at = now() WHERE id = $1 AND status IN {ACTIVE_STATUSES_SQL} RETURNING id",
            job_id,
        )

    async def enter_node(self, job_id: str, node: str) -> None:
        """Record the graph node the job is in."""
        await self._update(
            "UPDATE jobs SET current_node = $2, updated_at = now() WHERE id = $1 RETURNING id",
            job_id,
            node,
        )

    async def record_progress(
        self,
        job_id: str,
        *,
        iteration: int | None = None,
        qc_score: float | None = None,
        tokens_in: int | None = None,
        tokens_out: int | None = None,
        cost_usd: float | None = None,
        prompt_hashes: dict[str, str] | None = None,
    ) -> None:
        """Record the job's progress; None leaves a field as it is.

        Token and cost figures are totals (not increments), so recording the same state twice
        after a crash and resume does not count anything twice. Prompt hashes are merged.
        """
        await self._update(
            """
            UPDATE jobs SET
                iteration = coalesce($2, iteration),
                qc_score = coalesce($3, qc_score),
                tokens_in = coalesce($4, tokens_in),
                tokens_out = coalesce($5, tokens_out),
                cost_usd = coalesce($6, cost_usd),
                prompt_hashes = prompt_hashes || coalesce($7::jsonb, '{}'::jsonb),
                updated_at = now()
            WHERE id = $1
            RETURNING id
            """,
            job_id,
            iteration,
            qc_score,
            tokens_in,
            tokens_out,
            None if cost_usd is None else Decimal(str(cost_usd)),
            prompt_hashes,
        )

    async def record_error(self, job_id: str, failure: JobFailure) -> None:
        """Record the latest error without ending the job (it may be retried)."""
        await self._update(
            "UPDATE jobs SET error = $2, updated_at = now() WHERE id = $1 RETURNING id",
            job_id,
            failure.model_dump(mode="json"),
        )

    async def mark_failed(self, job_id: str, failure: JobFailure) -> bool:
        """End the job as failed with `failure`; False if it already reached a terminal status."""
        return await self._update_active(
            "UPDATE jobs SET status = 'failed', outcome = 'failed', error = $2,"
            " finished_at = now(), updated_at = now()"
            f" WHERE id = $1 AND status IN {ACTIVE_STATUSES_SQL} RETURNING id",
            job_id,
            failure.model_dump(mode="json"),
        )

    async def cancel(self, job_id: str) -> bool:
        """Cancel the job; False if it already reached a terminal status."""
        return await self._update_active(
            "UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now()"
            f" WHERE id = $1 AND status IN {ACTIVE_STATUSES_SQL} RETURNING id",
            job_id,
        )

    async def cancel_queued(self, batch_id: str) -> int:
        """Cancel a batch's jobs that have not started; return how many."""
        result = await self._pool.execute(
            "UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now()"
            " WHERE batch_id = $1 AND status = 'queued'",
            batch_id,
        )
        return int(result.split()[-1])

    async def requeue_cancelled(self, batch_id: str) -> int:
        """Put a batch's cancelled jobs back in the queue (they resume from their checkpoints)."""
        result = await self._pool.execute(
            "UPDATE jobs SET status = 'queued', finished_at = NULL, lease_owner = NULL,"
            " lease_expires_at = NULL, updated_at = now()"
            " WHERE batch_id = $1 AND status = 'cancelled'",
            batch_id,
        )
        return int(result.split()[-1])

    async def reset_attempts(self, job_id: str) -> None:
        """Count the running attempt as the first: the job made progress, it is not stuck."""
        await self._pool.execute(
            "UPDATE jobs SET attempts = 1 WHERE id = $1 AND attempts > 1", job_id
        )

    async def increment_attempts(self, job_id: str) -> int:
        """Count one more attempt at the job; return the new count."""
        attempts = await self._pool.fetchval(
            "UPDATE jobs SET attempts = attempts + 1, updated_at = now()"
            " WHERE id = $1 RETURNING attempts",
            job_id,
        )
        if attempts is None:
            raise JobNotFoundError(job_id)
        return int(attempts)

    async def _update(self, query: str, job_id: str, *args: object) -> None:
        if await self._pool.fetchval(query, job_id, *args) is None:
            raise JobNotFoundError(job_id)

    async def _update_active(self, query: str, job_id: str, *args: object) -> bool:
        """Run a guarded update; False when the guard refused, JobNotFoundError if no job."""
        if await self._pool.fetchval(query, job_id, *args) is not None:
            return True
        await self.get(job_id)
        return False
