"""Batches: submit the rows of an import, cancel, resume, and report progress."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from services.batch_import import AcceptedRow, ImportResult, RejectedRow
from services.runtime import AppRuntime
from storage.records import Batch, BatchStatus, Job, JobInput, JobStatus

__all__ = [
    "BatchProgress",
    "SubmittedBatch",
    "batch_id_for",
    "cancel_batch",
    "progress",
    "resume_batch",
    "submit_batch",
]

STATUSES = ("queued", "running", "passed", "needs_review", "refused", "failed", "cancelled")


def batch_id_for(content: bytes) -> str:
    """Return the id of the batch a file's content makes: the same file is the same batch."""
    return "batch_" + hashlib.sha256(content).hexdigest()[:20]


@dataclass(frozen=True)
class SubmittedBatch:
    batch: Batch
    created: bool
    jobs: list[Job]
    new_jobs: int
    rejected: list[RejectedRow]


async def submit_rows(
    rt: AppRuntime, batch_id: str, rows: Sequence[AcceptedRow]
) -> tuple[list[Job], int]:
    """Create (or find) the job of every row; return the jobs and how many are new."""
    jobs: list[Job] = []
    created = 0
    for row in rows:
        job, new = await rt.jobs.create_or_get(
            JobInput(
                input_minimal=row.input_minimal,
                generation_constraints=row.generation_constraints,
            ),
            idempotency_key=row.idempotency_key,
            batch_id=batch_id,
            priority=row.priority,
        )
        jobs.append(job)
        created += new
    return jobs, created


async def submit_batch(
    rt: AppRuntime,
    parsed: ImportResult,
    *,
    name: str,
    batch_id: str,
    concurrency: int,
) -> SubmittedBatch:
    """Create the batch and its jobs; record rejected rows in the batch's error log once."""
    batch, created = await rt.batches.create_or_get(
        batch_id, name, source=name, concurrency=concurrency
    )
    if created:
        for rejected in parsed.rejected:
            await rt.errors.record(
                rejected.kind,
                rejected.reason,
                batch_id=batch.id,
                row_number=rejected.row_number,
                raw=rejected.raw,
            )
    jobs, new = await submit_rows(rt, batch.id, parsed.accepted)
    batch = await rt.batches.refresh_counts(batch.id)
    return SubmittedBatch(batch, created, jobs, new, list(parsed.rejected))


async def cancel_batch(rt: AppRuntime, batch_id: str) -> Batch:
    """Start no new jobs; running ones stop at their next node boundary (workers watch this)."""
    await rt.batches.set_status(batch_id, BatchStatus.cancelled)
    await rt.jobs.cancel_queued(batch_id)
    return await rt.batches.refresh_counts(batch_id)


async def resume_batch(rt: AppRuntime, batch_id: str) -> Batch:
    """Queue a cancelled batch's jobs again; they continue from their checkpoints."""
    await rt.jobs.requeue_cancelled(batch_id)
    await rt.batches.set_status(batch_id, BatchStatus.running)
    return await rt.batches.refresh_counts(batch_id)


@dataclass(frozen=True)
class BatchProgress:
    batch_id: str
    status: str
    counts: dict[str, int]
    total: int
    done: int
    throughput_per_min: float
    eta_s: float | None


async def progress(rt: AppRuntime, batch_id: str) -> BatchProgress:
    """Return counts by status, throughput and an ETA from the observed rate."""
    batch = await rt.batches.refresh_counts(batch_id)
    raw = await rt.jobs.count_by_status(batch_id=batch_id)
    counts = {s: int(raw.get(JobStatus(s), 0)) for s in STATUSES}
    total = sum(counts.values())
    done = sum(counts[s] for s in ("passed", "needs_review", "refused", "failed"))
    elapsed = (datetime.now(UTC) - batch.created_at).total_seconds()
    rate = done / elapsed if elapsed > 0 and done else 0.0
    remaining = counts["queued"] + counts["running"]
    eta = remaining / rate if rate > 0 else None
    return BatchProgress(
        batch_id=batch.id,
        status=batch.status.value,
        counts=counts,
        total=total,
        done=done,
        throughput_per_min=round(rate * 60, 2),
        eta_s=round(eta, 1) if eta is not None else None,
    )
