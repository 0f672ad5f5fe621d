"""Resume details: a changed prompt is recorded on resume; a job that never progresses fails
after the configured number of attempts."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.enums import Outcome
from schemas.settings import default_prompts_dir
from services.batches import submit_rows
from services.execution import execute_job
from services.worker import Worker
from tests.services.test_worker import rows


async def test_changed_prompt_is_recorded_when_a_job_resumes(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    prompts = tmp_path / "prompts"
    shutil.copytree(
        default_prompts_dir(), prompts, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    jobs = synthetic_jobs(1)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs), prompts_dir=prompts)
    [job], _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    stop = asyncio.Event()
    original = rt.events.append

    async def stop_after_research(job_id, event, **kw):  # type: ignore[no-untyped-def]
        if event == "left" and kw.get("node") == "research":
            stop.set()
        return await original(job_id, event, **kw)

    rt.events.append = stop_after_research  # type: ignore[method-assign]
    assert (await execute_job(rt, job, stop=stop)).status == "stopped"
    rt.events.append = original  # type: ignore[method-assign]
    before = (await rt.jobs.get(job.id)).prompt_hashes["researcher"]
    researcher = prompts / "researcher.md"
    researcher.write_text(researcher.read_text("utf-8") + "\nBe brief.\n", "utf-8")
    resumed = await execute_job(rt, await rt.jobs.get(job.id))
    assert resumed.state is not None and resumed.state.outcome is Outcome.passed
    changes = [e for e in await rt.events.timeline(job.id) if e.event == "prompt_changed"]
    assert len(changes) == 1
    assert changes[0].detail is not None and changes[0].detail["researcher"]["was"] == before


async def test_a_job_that_never_progresses_fails_after_max_attempts(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    jobs = synthetic_jobs(2)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    created, _ = await submit_rows(rt, None, rows(jobs))  # type: ignore[arg-type]
    # The first job has been claimed 3 times by workers that died before any node finished.
    await rt.pool.execute(
        "UPDATE jobs SET status = 'running', attempts = 3, lease_owner = 'gone:1:x',"
        " lease_expires_at = now() - interval '1 minute' WHERE id = $1",
        created[0].id,
    )
    await Worker(rt, concurrency=2, max_attempts=3).run(until_idle=True)
    poisoned = await rt.jobs.get(created[0].id)
    assert poisoned.outcome is Outcome.failed
    assert poisoned.error is not None and "gave up after 3 attempts" in poisoned.error.message
    assert (await rt.jobs.get(created[1].id)).outcome is Outcome.passed
