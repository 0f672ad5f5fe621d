"""Leases: workers claim jobs with SKIP LOCKED; an expired lease lets another worker in."""

from __future__ import annotations

import asyncio

import pytest

from storage.pool import Pool, create_pool
from storage.records import JobStatus
from storage.repositories import JobRepository, LeaseRepository
from tests.storage.factories import job_input

pytestmark = pytest.mark.postgres


@pytest.fixture
def jobs(pg_pool: Pool) -> JobRepository:
    return JobRepository(pg_pool)


@pytest.fixture
def leases(pg_pool: Pool) -> LeaseRepository:
    return LeaseRepository(pg_pool)


async def test_claim_order_is_priority_then_age(
    jobs: JobRepository, leases: LeaseRepository
) -> None:
    old, _ = await jobs.create_or_get(job_input(1))
    urgent, _ = await jobs.create_or_get(job_input(2), priority=5)
    young, _ = await jobs.create_or_get(job_input(3))

    claimed = [await leases.claim_next("w1", lease_s=60) for _ in range(4)]
    assert [j.id if j else None for j in claimed] == [urgent.id, old.id, young.id, None]
    first = claimed[0]
    assert first is not None
    assert first.status is JobStatus.running and first.lease_owner == "w1"
    assert first.attempts == 1 and first.lease_expires_at is not None


async def test_concurrent_claims_never_share_a_job(postgres_url: str, jobs: JobRepository) -> None:
    for n in range(20):
        await jobs.create_or_get(job_input(n))
    # Two workers, each with its own pool, claiming as fast as they can.
    pools = [await create_pool(postgres_url, min_size=3, max_size=3) for _ in range(2)]
    try:
        workers = [LeaseRepository(pool) for pool in pools]

        async def drain(repo: LeaseRepository, owner: str) -> list[str]:
            got: list[str] = []
            while (job := await repo.claim_next(owner, lease_s=60)) is not None:
                got.append(job.id)
            return got

        results = await asyncio.gather(
            *(drain(repo, f"w{i}-{k}") for i, repo in enumerate(workers) for k in range(3))
        )
    finally:
        for pool in pools:
            await pool.close()
    claimed = [job_id for result in results for job_id in result]
    assert len(claimed) == 20
    assert len(set(claimed)) == 20
    assert [(await jobs.get(job_id)).attempts for job_id in claimed] == [1] * 20


async def test_claim_skips_a_job_another_claimer_has_locked(
    pg_pool: Pool, jobs: JobRepository, leases: LeaseRepository
) -> None:
    first, _ = await jobs.create_or_get(job_input(1), priority=1)
    second, _ = await jobs.create_or_get(job_input(2))
    async with pg_pool.acquire() as other, other.transaction():
        # Another worker is mid-claim on the first job: its row is locked.
        await other.execute("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", first.id)
        claimed = await asyncio.wait_for(leases.claim_next("w2", lease_s=60), timeout=5)
    assert claimed is not None and claimed.id == second.id


async def test_expired_lease_lets_another_owner_take_the_job(
    jobs: JobRepository, leases: LeaseRepository
) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    assert (await leases.claim_next("w1", lease_s=0.2)) is not None
    assert await leases.claim_next("w2", lease_s=60) is None  # still leased to w1
    assert await leases.acquire_lease(job.id, "w2", lease_s=60) is None
    assert await leases.list_left_running() == []

    await asyncio.sleep(0.3)
    assert [j.id for j in await leases.list_left_running()] == [job.id]
    taken = await leases.claim_next("w2", lease_s=60)
    assert taken is not None and taken.id == job.id
    assert taken.lease_owner == "w2" and taken.attempts == 2

    # w1 lost the job: it can neither renew nor release w2's lease.
    assert not await leases.renew_lease(job.id, "w1", lease_s=60)
    assert not await leases.release_lease(job.id, "w1")
    assert (await jobs.get(job.id)).lease_owner == "w2"


async def test_renew_extends_the_lease(jobs: JobRepository, leases: LeaseRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    claimed = await leases.claim_next("w1", lease_s=1)
    assert claimed is not None and claimed.lease_expires_at is not None
    assert await leases.renew_lease(job.id, "w1", lease_s=600)
    renewed = await jobs.get(job.id)
    assert renewed.lease_expires_at is not None
    assert renewed.lease_expires_at > claimed.lease_expires_at


async def test_release_with_requeue(jobs: JobRepository, leases: LeaseRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    await leases.claim_next("w1", lease_s=60)
    assert await leases.release_lease(job.id, "w1", requeue=True)
    released = await jobs.get(job.id)
    assert released.status is JobStatus.queued
    assert released.lease_owner is None and released.lease_expires_at is None
    again = await leases.claim_next("w2", lease_s=60)
    assert again is not None and again.id == job.id and again.attempts == 2


async def test_release_without_requeue_leaves_the_job_to_resume(
    jobs: JobRepository, leases: LeaseRepository
) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    await leases.claim_next("w1", lease_s=60)
    assert await leases.release_lease(job.id, "w1")
    assert (await jobs.get(job.id)).status is JobStatus.running
    assert [j.id for j in await leases.list_left_running()] == [job.id]


async def test_acquire_lease_on_one_job(jobs: JobRepository, leases: LeaseRepository) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    leased = await leases.acquire_lease(job.id, "w1", lease_s=60)
    assert leased is not None and leased.lease_owner == "w1" and leased.attempts == 1
    # Re-acquiring your own lease renews it without counting another attempt.
    again = await leases.acquire_lease(job.id, "w1", lease_s=60)
    assert again is not None and again.attempts == 1
    assert await leases.acquire_lease(job.id, "w2", lease_s=60) is None

    assert await jobs.cancel(job.id)
    assert await leases.acquire_lease(job.id, "w1", lease_s=60) is None  # terminal


async def test_terminal_jobs_are_never_claimed(
    jobs: JobRepository, leases: LeaseRepository
) -> None:
    job, _ = await jobs.create_or_get(job_input(1))
    await jobs.cancel(job.id)
    assert await leases.claim_next("w1", lease_s=60) is None
