"""Bounded growth of LangGraph's checkpoint tables: prune finished jobs, measure the rest.

The checkpointer owns these tables (created by its `setup()`); this repository only deletes
rows of jobs that ended for good (passed, refused, failed). Running, queued, cancelled (may be
resumed) and needs_review (waits on an interrupt) jobs are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from storage.pool import Pool

__all__ = ["CheckpointRepository", "CheckpointStats", "PruneResult"]

PRUNABLE = "('passed', 'refused', 'failed')"


@dataclass(frozen=True)
class PruneResult:
    jobs: int
    checkpoints: int
    writes: int
    blobs: int


@dataclass(frozen=True)
class CheckpointStats:
    jobs: int
    rows: int
    bytes: int

    @property
    def rows_per_job(self) -> float:
        return self.rows / self.jobs if self.jobs else 0.0

    @property
    def bytes_per_job(self) -> float:
        return self.bytes / self.jobs if self.jobs else 0.0


class CheckpointRepository:
    """SQL over the checkpointer's tables, keyed by thread_id = job id."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def prune(
        self, *, older_than: timedelta, keep: Literal["last", "none"] = "last"
    ) -> PruneResult:
        """Delete checkpoints of jobs that ended before `older_than` ago; keep the last or none."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE prune_jobs ON COMMIT DROP AS SELECT id FROM jobs"
                f" WHERE status IN {PRUNABLE} AND finished_at < now() - $1::interval",
                older_than,
            )
            jobs = await conn.fetchval("SELECT count(*) FROM prune_jobs")
            if keep == "none":
                writes = await conn.execute(
                    "DELETE FROM checkpoint_writes WHERE thread_id IN (SELECT id FROM prune_jobs)"
                )
                blobs = await conn.execute(
                    "DELETE FROM checkpoint_blobs WHERE thread_id IN (SELECT id FROM prune_jobs)"
                )
                checkpoints = await conn.execute(
                    "DELETE FROM checkpoints WHERE thread_id IN (SELECT id FROM prune_jobs)"
                )
            else:
                await conn.execute(
                    """
                    CREATE TEMP TABLE prune_latest ON COMMIT DROP AS
                    SELECT DISTINCT ON (thread_id, checkpoint_ns)
                           thread_id, checkpoint_ns, checkpoint_id,
                           checkpoint -> 'channel_versions' AS versions
                    FROM checkpoints
                    WHERE thread_id IN (SELECT id FROM prune_jobs)
                    ORDER BY thread_id, checkpoint_ns, checkpoint_id DESC
                    """
                )
                checkpoints = await conn.execute(
                    "DELETE FROM checkpoints c USING prune_latest l"
                    " WHERE c.thread_id = l.thread_id AND c.checkpoint_ns = l.checkpoint_ns"
                    " AND c.checkpoint_id <> l.checkpoint_id"
                )
                writes = await conn.execute(
                    "DELETE FROM checkpoint_writes w USING prune_latest l"
                    " WHERE w.thread_id = l.thread_id AND w.checkpoint_ns = l.checkpoint_ns"
                    " AND w.checkpoint_id <> l.checkpoint_id"
                )
                blobs = await conn.execute(
                    "DELETE FROM checkpoint_blobs b USING prune_latest l"
                    " WHERE b.thread_id = l.thread_id AND b.checkpoint_ns = l.checkpoint_ns"
                    " AND coalesce(l.versions ->> b.channel, '') <> b.version"
                )
        return PruneResult(
            jobs=int(jobs or 0),
            checkpoints=_count(checkpoints),
            writes=_count(writes),
            blobs=_count(blobs),
        )

    async def stats(self, *, statuses: tuple[str, ...] = ("passed",)) -> CheckpointStats:
        """Return checkpoint rows and bytes (all three tables) over jobs with these statuses."""
        row = await self._pool.fetchrow(
            """
            WITH j AS (SELECT id FROM jobs WHERE status = ANY($1::text[])),
            c AS (SELECT count(*) AS n, coalesce(sum(pg_column_size(t.*)), 0) AS b
                  FROM checkpoints t WHERE thread_id IN (SELECT id FROM j)),
            w AS (SELECT count(*) AS n, coalesce(sum(pg_column_size(t.*)), 0) AS b
                  FROM checkpoint_writes t WHERE thread_id IN (SELECT id FROM j)),
            bl AS (SELECT count(*) AS n, coalesce(sum(pg_column_size(t.*)), 0) AS b
                   FROM checkpoint_blobs t WHERE thread_id IN (SELECT id FROM j))
            SELECT (SELECT count(*) FROM j) AS jobs,
                   c.n + w.n + bl.n AS rows, c.b + w.b + bl.b AS bytes
            FROM c, w, bl
            """,
            list(statuses),
        )
        assert row is not None
        return CheckpointStats(
            jobs=int(row["jobs"]), rows=int(row["rows"]), bytes=int(row["bytes"])
        )


def _count(status: str) -> int:
    return int(status.split()[-1]) if status else 0
