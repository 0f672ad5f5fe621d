"""JobRepository: idempotent creation, queries and progress."""

from __future__ import annotations

import asyncio

import pytest

from schemas.enums import Outcome
from schemas.state import JobFailure
from storage.errors import IdempotencyConflictError, JobNotFoundError
from storage.ids import job_id_for
from storage.pool import Pool
from storage.records import JobStatus
from storage.repositories import BatchRepository, JobRepository
from tests.storage.factories import job_input

pytestmark = pytest.mark.postgres


@pytest.fixture
def jobs(pg_pool: Pool) -> JobRepository:
    return JobRepository(pg_pool)


async def test_create_or_get_creates_once(jobs: JobRepository) -> None:
    job, created = await jobs.create_or_get(job_input(1), priority=3)
    assert created
    assert job.id == job_id_for(job_input(1))
    assert job.status is JobStatus.queued
    assert job.input == job_input(1)
    assert (job.priority, job.attempts, job.tokens_in, job.cost_usd) == (3, 0, 0, 0.0)
    assert job.prompt_hashes == {} and job.outcome_reasons == [] and job.error is None

    again, created_again = await jobs.create_or_get(job_input(1), priority=9)
    assert not created_again
    assert again == job  # the first request's fields win


async def test_concurrent_create_or_get_creates_one_job(jobs: JobRepository) -> None:
    results = await asyncio.gather(*(jobs.create_or_get(job_input(1)) for _ in range(6)))
    assert sum(created for _, created in results) == 1
    assert len({job.id for job, _ in results}) == 1


async def test_idempotency_key(jobs: JobRepository) -> None:
    job, created = await jobs.create_or_get(job_input(1), idempotency_key="order-7")
    assert created and job.idempotency_key == "order-7"
    assert job.id == job_id_for(job_input(1), "order-7")

    same, created_again = await jobs.create_or_get(job_input(1), idempotency_key="order-7")
    assert not created_again and same.id == job.id

    with pytest.raises(IdempotencyConflictError) as info:
        await jobs.create_or_get(job_input(2), idempotency_key="order-7")
    assert info.value.job_id == job.id

    # Without a key the same input is a job of its own.
    plain, created_plain = await jobs.create_or_get(job_input(1), idempotency_key=" ")
    assert created_plain and plain.id != job.id and plain.idempotency_key is None


async def test_get_and_find(jobs: JobRepository) -> None:
    assert await jobs.find("job_missing") is None
    with pytest.raises(JobNotFoundError) as info:
        await jobs.get("job_missing")
    assert info.value.job_id == "job_missing"
    assert isinstance(info.value, LookupError)


async def test_list_and_count_by_batch_and_status(pg_pool: Pool, jobs: JobRepository) -> None:
    batch = await BatchRepository(pg_pool).create("b")
    a, _ = await jobs.create_or_get(job_input(1), batch_id=batch.id)
    b, _ = await jobs.create_or_get(job_input(2), batch_id=batch.id)
    c, _ = await jobs.create_or_get(job_input(3))
    await jobs.mark_running(b.id)

    assert [j.id for j in await jobs.list_jobs()] == [a.id, b.id, c.id]
    assert [j.id for j in await jobs.list_jobs(batch_id=batch.id)] == [a.id, b.id]
    running = await jobs.list_jobs(statuses=[JobStatus.running])
    assert [j.id for j in running] == [b.id]
    assert [j.id for j in await jobs.list_jobs(limit=1, offset=2)] == [c.id]
    assert await jobs.count_by_status(batch_id=batch.id) == {
        JobStatus.queued: 1,
        JobStatus.running: 1,
    }
    assert await jobs.count_by_status() == {JobStatus.queued: 2, JobStatus.running: 1}


async def test_mark_running_and_enter_node(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    assert await jobs.mark_running(job.id)
    await jobs.enter_node(job.id, "writer")
    running = await jobs.get(job.id)
    assert running.status is JobStatus.running
    assert running.current_node == "writer"
    assert running.started_at is not None and running.updated_at >= running.created_at

    with pytest.raises(JobNotFoundError):
        await jobs.enter_node("job_missing", "writer")
    with pytest.raises(JobNotFoundError):
        await jobs.mark_running("job_missing")


async def test_record_progress_sets_totals_and_merges_hashes(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    await jobs.record_progress(
        job.id,
        iteration=1,
        qc_score=71.5,
        tokens_in=1000,
        tokens_out=400,
        cost_usd=0.012345,
        prompt_hashes={"writer": "aaa"},
    )
    # Recording the same totals again (a resumed node) must not double anything.
    await jobs.record_progress(job.id, tokens_in=1000, prompt_hashes={"qc_reviewer": "bbb"})
    await jobs.record_progress(job.id, iteration=2)
    got = await jobs.get(job.id)
    assert (got.iteration, got.qc_score, got.tokens_in, got.tokens_out) == (2, 71.5, 1000, 400)
    assert got.cost_usd == pytest.approx(0.012345)
    assert got.prompt_hashes == {"writer": "aaa", "qc_reviewer": "bbb"}


async def test_record_error_keeps_the_job_going(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    failure = JobFailure(kind="llm_transient", message="timeout", node="writer")
    await jobs.record_error(job.id, failure)
    got = await jobs.get(job.id)
    assert got.error == failure and got.status is JobStatus.queued


async def test_mark_failed_once(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    failure = JobFailure(kind="llm_unavailable", message="all models failed", node="writer")
    assert await jobs.mark_failed(job.id, failure)
    assert not await jobs.mark_failed(job.id, JobFailure(kind="x", message="later"))
    got = await jobs.get(job.id)
    assert got.status is JobStatus.failed and got.outcome is Outcome.failed
    assert got.error == failure and got.finished_at is not None and got.is_terminal
    assert not await jobs.mark_running(job.id)
    assert not await jobs.cancel(job.id)


async def test_cancel(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    assert await jobs.cancel(job.id)
    got = await jobs.get(job.id)
    assert got.status is JobStatus.cancelled and got.outcome is None and got.finished_at
    assert not await jobs.cancel(job.id)
    with pytest.raises(JobNotFoundError):
        await jobs.cancel("job_missing")


async def test_increment_attempts(jobs: JobRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    assert await jobs.increment_attempts(job.id) == 1
    assert await jobs.increment_attempts(job.id) == 2
    with pytest.raises(JobNotFoundError):
        await jobs.increment_attempts("job_missing")
