"""BatchRepository: create, list, status and counts."""

from __future__ import annotations

import pytest

from schemas.enums import Outcome
from storage.errors import BatchNotFoundError
from storage.pool import Pool
from storage.records import BatchStatus
from storage.repositories import BatchRepository, JobRepository, PostgresArticleStore
from tests.storage.factories import job_input

pytestmark = pytest.mark.postgres


@pytest.fixture
def batches(pg_pool: Pool) -> BatchRepository:
    return BatchRepository(pg_pool)


async def test_create_get_list(batches: BatchRepository) -> None:
    first = await batches.create("week 12", source="jobs.csv", concurrency=4)
    assert first.id.startswith("batch_")
    assert (first.name, first.source, first.concurrency) == ("week 12", "jobs.csv", 4)
    assert first.status is BatchStatus.queued and first.counts == {}
    second = await batches.create("api", batch_id="batch_given")
    assert second.id == "batch_given"
    assert await batches.get(first.id) == first
    assert {b.id for b in await batches.list_batches()} == {first.id, second.id}
    with pytest.raises(BatchNotFoundError):
        await batches.get("batch_missing")


async def test_set_status(batches: BatchRepository) -> None:
    batch = await batches.create("b")
    running = await batches.set_status(batch.id, BatchStatus.running)
    assert running.status is BatchStatus.running and running.finished_at is None
    cancelled = await batches.set_status(batch.id, BatchStatus.cancelled)
    assert cancelled.finished_at is not None
    with pytest.raises(BatchNotFoundError):
        await batches.set_status("batch_missing", BatchStatus.running)


async def test_refresh_counts_finishes_the_batch(pg_pool: Pool, batches: BatchRepository) -> None:
    jobs, store = JobRepository(pg_pool), PostgresArticleStore(pg_pool)
    batch = await batches.create("b")
    assert (await batches.refresh_counts(batch.id)).status is BatchStatus.queued  # no jobs yet
    a, _ = await jobs.create_or_get(job_input(1), batch_id=batch.id)
    b, _ = await jobs.create_or_get(job_input(2), batch_id=batch.id)

    await store.commit_final(a.id, None, Outcome.refused, ["off-topic"])
    partial = await batches.refresh_counts(batch.id)
    assert partial.counts == {"queued": 1, "refused": 1}
    assert partial.status is BatchStatus.queued and partial.finished_at is None

    await jobs.cancel(b.id)
    done = await batches.refresh_counts(batch.id)
    assert done.counts == {"refused": 1, "cancelled": 1}
    assert done.status is BatchStatus.finished and done.finished_at is not None
    with pytest.raises(BatchNotFoundError):
        await batches.refresh_counts("batch_missing")
