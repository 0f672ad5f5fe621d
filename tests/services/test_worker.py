"""Workers run ledger jobs through the Postgres-checkpointed graph, exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.fake_llm import FakeLLM
from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.enums import Outcome
from schemas.job_package import GenerationConstraints
from services.batch_import import AcceptedRow
from services.batches import submit_rows
from services.execution import execute_job
from services.worker import Worker


def rows(jobs, start: int = 2) -> list[AcceptedRow]:  # type: ignore[no-untyped-def]
    return [
        AcceptedRow(
            row_number=start + i,
            input_minimal=job,
            generation_constraints=GenerationConstraints(min_word_count=300),
            idempotency_key=None,
            priority=0,
        )
        for i, job in enumerate(jobs)
    ]


async def test_worker_runs_a_batch_to_terminal_states(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    anchors = {3: "laddbox FAIL 3", 5: "laddbox REVIEW 5"}
    jobs = synthetic_jobs(12, publishers=3, anchors=anchors)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs, missing={7}))
    await rt.batches.create_or_get("batch_t", "t")
    created, new = await submit_rows(rt, "batch_t", rows(jobs))
    assert new == 12
    worker = Worker(rt, concurrency=4, batch_id="batch_t", lease_s=10)
    await asyncio.wait_for(worker.run(until_idle=True), 120)
    by_id = {j.id: await rt.jobs.get(j.id) for j in created}
    outcomes = {i: by_id[created[i].id].outcome for i in range(12)}
    assert outcomes[3] is Outcome.failed
    assert outcomes[5] is Outcome.needs_review
    assert outcomes[7] is Outcome.refused  # 404 target: low confidence, refused
    assert all(outcomes[i] is Outcome.passed for i in range(12) if i not in (3, 5, 7))
    finals = await rt.pool.fetchval("SELECT count(*) FROM articles")
    assert finals == 10  # one per passed job plus the needs_review one
    timeline = await rt.events.timeline(created[0].id)
    nodes = [e.node for e in timeline if e.event == "entered"]
    assert nodes[:4] == ["research", "intent_sentinel", "write", "qc_review"]
    job0 = by_id[created[0].id]
    assert job0.tokens_in > 0 and job0.qc_score is not None and job0.qc_score >= 80
    assert set(job0.prompt_hashes) >= {"researcher", "writer"}


async def test_a_finished_job_is_not_run_again(runtime_factory, fake_llm, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake: FakeLLM = fake_llm[0]
    jobs = synthetic_jobs(1)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    [job], _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    first = await execute_job(rt, job)
    calls = sum(fake.by_role.values())
    again = await execute_job(rt, await rt.jobs.get(job.id))
    assert first.state is not None and first.state.outcome is Outcome.passed
    assert again.status == "finished"
    assert sum(fake.by_role.values()) == calls  # no LLM call for a finished thread
    assert await rt.pool.fetchval("SELECT count(*) FROM articles") == 1


async def test_stop_at_node_boundary_then_resume_from_checkpoint(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fake: FakeLLM = fake_llm[0]
    jobs = synthetic_jobs(1)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    [job], _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    stop = asyncio.Event()

    original = rt.events.append

    async def stop_after_sentinel(job_id, event, **kw):  # type: ignore[no-untyped-def]
        if event == "left" and kw.get("node") == "intent_sentinel":
            stop.set()
        return await original(job_id, event, **kw)

    rt.events.append = stop_after_sentinel  # type: ignore[method-assign]
    stopped = await execute_job(rt, job, stop=stop)
    assert stopped.status == "stopped"
    assert fake.by_role["writer"] == 0
    rt.events.append = original  # type: ignore[method-assign]
    resumed = await execute_job(rt, await rt.jobs.get(job.id))
    assert resumed.state is not None and resumed.state.outcome is Outcome.passed
    assert fake.by_role["researcher"] == 1 and fake.by_role["intent_sentinel"] == 1
    events = [e.event for e in await rt.events.timeline(job.id)]
    assert "resumed" in events


async def test_the_runtime_writer_mode_reaches_the_nodes(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    jobs = synthetic_jobs(1)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs), writer_mode="sections")
    assert rt.writer_mode == "sections"
    [job], _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    await execute_job(rt, job)
    # In sections mode the writer is asked to continue the blueprint once per part.
    assert fake_llm[0].by_role["writer"] == 5
