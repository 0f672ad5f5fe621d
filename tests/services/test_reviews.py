"""The review queue on Postgres: decisions resume the job's thread; a second one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.enums import Outcome
from schemas.state import ReviewDecision
from services.batches import submit_rows
from services.execution import execute_job
from services.reviews import NotWaitingForReviewError, decide, list_reviews
from tests.services.test_worker import rows


async def waiting_job(runtime_factory, tmp_path: Path):  # type: ignore[no-untyped-def]
    jobs = synthetic_jobs(1, anchors={0: "laddbox REVIEW 0"})
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    [job], _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    result = await execute_job(rt, job)
    assert result.status == "waiting_review"
    return rt, job


async def test_needs_review_job_waits_in_the_queue_then_is_approved(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt, job = await waiting_job(runtime_factory, tmp_path)
    queue = await list_reviews(rt)
    assert [j.id for j in queue] == [job.id]
    assert (await rt.articles.get_final(job.id)) is not None
    calls = sum(fake_llm[0].by_role.values())
    result = await decide(rt, job.id, ReviewDecision(action="approve", notes="fine"))
    assert result.state is not None and result.state.outcome is Outcome.passed
    assert sum(fake_llm[0].by_role.values()) == calls  # approving costs no LLM call
    ledger = await rt.jobs.get(job.id)
    assert ledger.outcome is Outcome.passed
    assert (await rt.articles.get_final(job.id)).outcome is Outcome.passed  # type: ignore[union-attr]
    assert await list_reviews(rt) == []
    with pytest.raises(NotWaitingForReviewError):
        await decide(rt, job.id, ReviewDecision(action="reject"))


async def test_reject_removes_the_article(runtime_factory, fake_llm, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rt, job = await waiting_job(runtime_factory, tmp_path)
    await decide(rt, job.id, ReviewDecision(action="reject", notes="tone"))
    ledger = await rt.jobs.get(job.id)
    assert ledger.outcome is Outcome.refused
    assert "rejected by reviewer: tone" in ledger.outcome_reasons
    assert await rt.articles.get_final(job.id) is None


async def test_revise_runs_the_reviser_and_comes_back(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt, job = await waiting_job(runtime_factory, tmp_path)
    revisions = fake_llm[0].by_role["reviser"]
    result = await decide(rt, job.id, ReviewDecision(action="revise", notes="more sources"))
    assert fake_llm[0].by_role["reviser"] == revisions + 1
    # The fake still scores this anchor low, so the job returns to the queue.
    assert result.status == "waiting_review"
    assert [j.id for j in await list_reviews(rt)] == [job.id]
