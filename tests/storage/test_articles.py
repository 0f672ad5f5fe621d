"""PostgresArticleStore: versions are upserted, the final article is exactly-once."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from nodes.context import ArticleStore
from schemas.enums import Outcome
from storage.errors import ArticleVersionNotFoundError, JobNotFoundError
from storage.pool import Pool, create_pool
from storage.records import JobStatus
from storage.repositories import JobRepository, PostgresArticleStore
from tests.fakes.factories import report
from tests.storage.factories import draft, job_input

pytestmark = pytest.mark.postgres


@pytest.fixture
def store(pg_pool: Pool) -> PostgresArticleStore:
    return PostgresArticleStore(pg_pool)


@pytest.fixture
async def job_id(pg_pool: Pool) -> str:
    job, _ = await JobRepository(pg_pool).create_or_get(job_input(1))
    return job.id


def test_implements_the_article_store_port() -> None:
    for name in ("save_version", "load_version", "attach_qc", "commit_final"):
        port = inspect.signature(getattr(ArticleStore, name))
        ours = inspect.signature(getattr(PostgresArticleStore, name))
        assert list(ours.parameters) == list(port.parameters), name
        assert inspect.iscoroutinefunction(getattr(PostgresArticleStore, name))


async def test_save_and_load_round_trip(store: PostgresArticleStore, job_id: str) -> None:
    first = draft(job_id, 0)
    assert await store.save_version(first) == 0
    assert await store.load_version(job_id, 0) == first
    assert (await store.get_version(job_id, 0)).qc_report is None

    qc = report(82.0)
    await store.save_version(draft(job_id, 1), qc)
    stored = await store.get_version(job_id, 1)
    assert stored.qc_report == qc and stored.qc_score == qc.overall
    assert [v.iteration for v in await store.list_versions(job_id)] == [0, 1]


async def test_saving_a_version_again_overwrites_it(
    store: PostgresArticleStore, job_id: str
) -> None:
    await store.save_version(draft(job_id, 1, "first try"), report(60.0))
    rerun = draft(job_id, 1, "after the crash")
    await store.save_version(rerun)
    versions = await store.list_versions(job_id)
    assert len(versions) == 1
    assert versions[0].to_draft() == rerun
    assert versions[0].qc_report is None  # the old report scored the old text


async def test_attach_qc(store: PostgresArticleStore, job_id: str) -> None:
    await store.save_version(draft(job_id, 0))
    qc = report(55.0)
    await store.attach_qc(job_id, 0, qc)
    stored = await store.get_version(job_id, 0)
    assert stored.qc_report == qc and stored.qc_score == qc.overall
    with pytest.raises(ArticleVersionNotFoundError):
        await store.attach_qc(job_id, 7, qc)


async def test_missing_version_and_job(store: PostgresArticleStore, job_id: str) -> None:
    with pytest.raises(ArticleVersionNotFoundError) as info:
        await store.load_version(job_id, 3)
    assert (info.value.job_id, info.value.version) == (job_id, 3)
    with pytest.raises(JobNotFoundError):
        await store.save_version(draft("job_missing", 0))


async def test_commit_final_passed_once(
    pg_pool: Pool, store: PostgresArticleStore, job_id: str
) -> None:
    qc = report(88.0)
    await store.save_version(draft(job_id, 0))
    await store.save_version(draft(job_id, 1), qc)

    assert await store.commit_final(job_id, 1, Outcome.passed, ["score 88"])
    final = await store.get_final(job_id)
    assert final is not None
    assert (final.version, final.outcome, final.qc_report) == (1, Outcome.passed, qc)
    assert final.markdown == draft(job_id, 1).markdown

    job = await JobRepository(pg_pool).get(job_id)
    assert job.status is JobStatus.passed and job.outcome is Outcome.passed
    assert job.outcome_reasons == ["score 88"] and job.finished_at is not None

    # A re-run finalize node (or anyone else) changes nothing.
    assert not await store.commit_final(job_id, 0, Outcome.needs_review, ["again"])
    again = await store.get_final(job_id)
    assert again == final
    assert (await JobRepository(pg_pool).get(job_id)).outcome_reasons == ["score 88"]


async def test_concurrent_commit_final_makes_one_article(
    postgres_url: str, store: PostgresArticleStore, job_id: str
) -> None:
    await store.save_version(draft(job_id, 0), report(90.0))
    await store.save_version(draft(job_id, 1), report(70.0))
    pools = [await create_pool(postgres_url, min_size=1, max_size=1) for _ in range(2)]
    try:
        stores = [PostgresArticleStore(pool) for pool in pools]
        results = await asyncio.gather(
            stores[0].commit_final(job_id, 0, Outcome.passed, ["a"]),
            stores[1].commit_final(job_id, 1, Outcome.needs_review, ["b"]),
        )
    finally:
        for pool in pools:
            await pool.close()
    assert sorted(results) == [False, True]
    winner = 0 if results[0] else 1
    final = await store.get_final(job_id)
    assert final is not None and final.version == winner
    assert final.outcome is (Outcome.passed, Outcome.needs_review)[winner]


@pytest.mark.parametrize("outcome", [Outcome.refused, Outcome.failed])
async def test_refused_and_failed_have_no_article(
    pg_pool: Pool, store: PostgresArticleStore, job_id: str, outcome: Outcome
) -> None:
    await store.save_version(draft(job_id, 0))
    assert await store.commit_final(job_id, 0, outcome, ["off-topic"])
    assert await store.get_final(job_id) is None
    job = await JobRepository(pg_pool).get(job_id)
    assert job.status == outcome.value and job.outcome is outcome
    assert not await store.commit_final(job_id, None, Outcome.failed, [])


async def test_needs_review_without_a_version(store: PostgresArticleStore, job_id: str) -> None:
    assert await store.commit_final(job_id, None, Outcome.needs_review, ["no draft"])
    assert await store.get_final(job_id) is None


async def test_passed_needs_a_version(store: PostgresArticleStore, job_id: str) -> None:
    with pytest.raises(ValueError, match="version"):
        await store.commit_final(job_id, None, Outcome.passed, [])


async def test_commit_final_with_a_missing_version_changes_nothing(
    pg_pool: Pool, store: PostgresArticleStore, job_id: str
) -> None:
    with pytest.raises(ArticleVersionNotFoundError):
        await store.commit_final(job_id, 4, Outcome.passed, [])
    job = await JobRepository(pg_pool).get(job_id)
    assert job.status is JobStatus.queued and job.outcome is None
    with pytest.raises(JobNotFoundError):
        await store.commit_final("job_missing", None, Outcome.refused, [])


async def test_cancelled_jobs_cannot_be_finalised(
    pg_pool: Pool, store: PostgresArticleStore, job_id: str
) -> None:
    await store.save_version(draft(job_id, 0))
    assert await JobRepository(pg_pool).cancel(job_id)
    assert not await store.commit_final(job_id, 0, Outcome.passed, [])
    assert await store.get_final(job_id) is None
