"""Run a batch through the real worker and time it: the shared core of throughput and batch."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench._inproc import JOB, RESEARCH_DIR, endless_chains, shared_research
from bench._jobs import bench_settings, submit_jobs
from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.job_package import InputMinimal
from services.execution import ExecutionResult
from services.runtime import AppRuntime, open_runtime
from services.worker import Worker

__all__ = ["BatchRun", "BenchRuntime", "LLMKind", "bench_runtime", "run_batch"]

LLMKind = Literal["http", "inproc"]


@dataclass(frozen=True)
class BatchRun:
    jobs: int
    finished: int
    statuses: dict[str, int]
    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class BenchRuntime:
    rt: AppRuntime
    inputs: list[InputMinimal]


@asynccontextmanager
async def bench_runtime(
    db_url: str, workdir: Path, jobs: int, *, llm: LLMKind, llm_url: str | None, pool_size: int
) -> AsyncIterator[BenchRuntime]:
    """Open a runtime and the inputs of one batch: `jobs` synthetic jobs on the HTTP fake, or
    copies of the recorded job on the in-process fakes."""
    if llm == "http":
        inputs = synthetic_jobs(jobs, publishers=max(1, jobs // 5))
        research = write_snapshot(workdir / "research", inputs)
        settings = bench_settings(db_url, workdir, research_dir=research, llm_url=llm_url)
        async with open_runtime(settings, pool_size=pool_size) as rt:
            yield BenchRuntime(rt, inputs)
    else:
        settings = bench_settings(db_url, workdir, research_dir=RESEARCH_DIR)
        async with open_runtime(
            settings, chains=endless_chains(), research=shared_research(), pool_size=pool_size
        ) as rt:
            yield BenchRuntime(rt, [JOB] * jobs)


async def run_batch(bench: BenchRuntime, concurrency: int) -> BatchRun:
    """Submit the batch, run it with one worker; wall time runs from start to the last result."""
    rt = bench.rt
    await submit_jobs(rt, bench.inputs)
    done: list[float] = []
    statuses: Counter[str] = Counter()

    def on_result(result: ExecutionResult) -> None:
        done.append(time.perf_counter())
        outcome = result.state.outcome.value if result.state and result.state.outcome else None
        statuses[f"{result.status}:{outcome}"] += 1

    worker = Worker(rt, concurrency=concurrency, batch_id="bench", poll_s=0.05, on_result=on_result)
    start, cpu = time.perf_counter(), time.process_time()
    await worker.run(until_idle=True)
    cpu_s = time.process_time() - cpu
    wall = (max(done) if done else time.perf_counter()) - start
    return BatchRun(
        jobs=len(bench.inputs),
        finished=sum(n for key, n in statuses.items() if key.startswith("finished")),
        statuses=dict(statuses),
        wall_s=round(wall, 3),
        cpu_s=round(cpu_s, 3),
    )
