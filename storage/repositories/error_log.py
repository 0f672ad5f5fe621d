"""The error log: rejected input rows and job errors, kept for the operator."""

from __future__ import annotations

from typing import Any

from storage.pool import Pool
from storage.records import ErrorLogEntry

__all__ = ["ErrorLogRepository"]


class ErrorLogRepository:
    """All SQL on the `error_log` table."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def record(
        self,
        kind: str,
        reason: str,
        *,
        batch_id: str | None = None,
        job_id: str | None = None,
        row_number: int | None = None,
        raw: Any = None,
    ) -> ErrorLogEntry:
        """Record one error; `raw` is the offending input as JSON-able data."""
        row = await self._pool.fetchrow(
            "INSERT INTO error_log (batch_id, job_id, row_number, kind, reason, raw)"
            " VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
            batch_id,
            job_id,
            row_number,
            kind,
            reason,
            raw,
        )
        return ErrorLogEntry.from_row(row)

    async def list_errors(
        self, *, batch_id: str | None = None, job_id: str | None = None, limit: int = 100
    ) -> list[ErrorLogEntry]:
        """Return errors in the order they were recorded, optionally of one batch or job."""
        rows = await self._pool.fetch(
            """
            SELECT * FROM error_log
            WHERE ($1::text IS NULL OR batch_id = $1) AND ($2::text IS NULL OR job_id = $2)
            ORDER BY id
            LIMIT $3
            """,
            batch_id,
            job_id,
            limit,
        )
        return [ErrorLogEntry.from_row(row) for row in rows]
