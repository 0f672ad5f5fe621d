"""EventRepository (job timelines) and ErrorLogRepository."""

from __future__ import annotations

import pytest

from storage.pool import Pool
from storage.records import EventKind
from storage.repositories import ErrorLogRepository, EventRepository, JobRepository
from tests.storage.factories import job_input

pytestmark = pytest.mark.postgres


async def test_timeline_in_order_and_paged(pg_pool: Pool) -> None:
    job, _ = await JobRepository(pg_pool).create_or_get(job_input(1))
    events = EventRepository(pg_pool)
    entered = await events.append(job.id, EventKind.entered, node="writer")
    left = await events.append(
        job.id, EventKind.left, node="writer", duration_ms=1200, detail={"tokens": 800}
    )
    error = await events.append(job.id, "error", node="qc", detail={"kind": "llm_output"})

    timeline = await events.timeline(job.id)
    assert timeline == [entered, left, error]
    assert [e.event for e in timeline] == ["entered", "left", "error"]
    assert left.duration_ms == 1200 and left.detail == {"tokens": 800}
    assert entered.at <= left.at <= error.at
    assert await events.timeline(job.id, after_id=left.id) == [error]
    assert await events.timeline(job.id, limit=1) == [entered]
    assert await events.timeline("job_other") == []


async def test_error_log(pg_pool: Pool) -> None:
    log = ErrorLogRepository(pg_pool)
    bad_row = await log.record(
        "invalid_row",
        "target_url: must be an http or https URL",
        batch_id="batch_1",
        row_number=7,
        raw={"target_url": "ftp://x", "anchor_text": "a"},
    )
    # Errors may name jobs and batches that do not exist (any more).
    job_error = await log.record("llm_unavailable", "all models failed", job_id="job_gone")
    assert bad_row.raw == {"target_url": "ftp://x", "anchor_text": "a"}
    assert bad_row.row_number == 7 and bad_row.created_at is not None

    assert await log.list_errors() == [bad_row, job_error]
    assert await log.list_errors(batch_id="batch_1") == [bad_row]
    assert await log.list_errors(job_id="job_gone") == [job_error]
    assert await log.list_errors(limit=1) == [bad_row]
