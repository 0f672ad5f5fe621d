"""Checkpoint pruning: finished jobs shrink to their last checkpoint (or nothing); running,
cancelled and reviewable jobs are never touched."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.enums import Outcome
from services.batches import submit_rows
from services.execution import execute_job
from services.maintenance import checkpoint_stats, prune_checkpoints
from tests.services.test_worker import rows


async def thread_rows(rt, job_id: str) -> int:  # type: ignore[no-untyped-def]
    return int(
        await rt.pool.fetchval("SELECT count(*) FROM checkpoints WHERE thread_id = $1", job_id)
    )


async def setup_jobs(runtime_factory, tmp_path: Path):  # type: ignore[no-untyped-def]
    jobs = synthetic_jobs(3)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    created, _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    for job in created[:2]:
        assert (await execute_job(rt, job)).state.outcome is Outcome.passed  # type: ignore[union-attr]
    stop = asyncio.Event()
    stop.set()  # the third job stops before its first node: it stays 'running' with a checkpoint
    await rt.leases.claim_next("tester", lease_s=60)
    await execute_job(rt, await rt.jobs.get(created[2].id), stop=stop)
    await rt.pool.execute(
        "UPDATE jobs SET finished_at = now() - interval '10 days' WHERE status = 'passed'"
    )
    return rt, created


async def test_prune_keeps_the_last_checkpoint_and_the_state_still_loads(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt, created = await setup_jobs(runtime_factory, tmp_path)
    running_before = await thread_rows(rt, created[2].id)
    before = await checkpoint_stats(rt)
    assert before.rows_per_job > 3
    result = await prune_checkpoints(rt, older_than_days=7, keep="last")
    assert result.jobs == 2
    after = await checkpoint_stats(rt)
    assert after.bytes_per_job < before.bytes_per_job
    for job in created[:2]:
        assert await thread_rows(rt, job.id) == 1
        config: Any = {"configurable": {"thread_id": job.id}}
        snapshot = await rt.graph.aget_state(config)
        assert snapshot.values["outcome"] == Outcome.passed
    assert await thread_rows(rt, created[2].id) == running_before


async def test_prune_none_removes_everything_of_old_jobs_only(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt, created = await setup_jobs(runtime_factory, tmp_path)
    untouched = await prune_checkpoints(rt, older_than_days=30, keep="none")
    assert untouched.jobs == 0
    result = await prune_checkpoints(rt, older_than_days=7, keep="none")
    assert result.jobs == 2 and result.checkpoints > 0
    for job in created[:2]:
        assert await thread_rows(rt, job.id) == 0
    assert await thread_rows(rt, created[2].id) > 0
