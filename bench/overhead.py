"""Orchestrator overhead per node step: what a checkpointed step costs beyond the node's work.

Concurrency 1, in-process fake chat models (the LLM costs ~0), the recorded villaliv.se job.
In one run, interleaved round by round so load drifts hit every variant alike:

- `none`: the job graph compiled without a checkpointer (the baseline);
- `memory`: with LangGraph's `InMemorySaver`;
- `stock_pg`: with LangGraph's stock `AsyncPostgresSaver` on a pool (sync durability);
- `bacowr_saver`: with bacowr's checkpointer (`storage.checkpointer.open_checkpointer`);
- `bacowr_saver_sync_commit`: the same with `open_checkpointer(durable=True)` (fsync per commit);
- `bacowr_job`: bacowr's whole job path, `services.execution.execute_job` (checkpointer, ledger
  mirroring, Postgres article store), on a job claimed from the ledger;
- `bacowr_job_proposed`: the same with the proposed ledger changes patched in
  (bench/_proposals.py; not in bacowr).

Figures of other software and of proposals carry `"gate": false`: `--compare` reports them
but does not fail on them.

Overhead per node step = (median seconds per job - the `none` median) / node steps per job.

Run: python -m bench overhead [--jobs 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack, nullcontext
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from bench._db import bench_database
from bench._inproc import JOB, RESEARCH_DIR, endless_chains, inproc_agents, shared_research
from bench._jobs import bench_settings, stock_saver, submit_jobs
from bench._proposals import open_mirror_pool, proposed
from bench._report import Figure, machine, median, print_figures, print_table
from graphs.job_graph import build_job_graph
from graphs.serde import checkpoint_serde
from nodes.context import InMemoryArticleStore, JobContext
from schemas.job_package import GenerationConstraints
from services.execution import execute_job
from services.job_runner import new_job_state
from services.runtime import AppRuntime, open_runtime
from storage.checkpointer import open_checkpointer

__all__ = ["main", "measure"]

VARIANTS = (
    "none",
    "memory",
    "stock_pg",
    "bacowr_saver",
    "bacowr_saver_sync_commit",
    "bacowr_job",
    "bacowr_job_proposed",
)
GATED = ("bacowr_saver", "bacowr_job")
CONSTRAINTS = GenerationConstraints(min_word_count=300)

RunOne = Callable[[], Awaitable[int]]


async def _graph_runner(saver: BaseCheckpointSaver[Any] | None) -> RunOne:
    graph = build_job_graph().compile(checkpointer=saver)
    # durability="sync" without a checkpointer trips LangGraph (no _put_checkpoint_fut).
    durability: dict[str, Any] = {"durability": "sync"} if saver is not None else {}
    agents = inproc_agents()
    research = shared_research()

    async def run() -> int:
        state = new_job_state(JOB, CONSTRAINTS)
        ctx = JobContext(
            agents=agents, research=research.for_job(), articles=InMemoryArticleStore()
        )
        config: RunnableConfig = {"configurable": {"thread_id": state.job_id}}
        steps = 0
        async for event in graph.astream(
            state, config, context=ctx, stream_mode="tasks", **durability
        ):
            steps += "input" not in event
        return steps

    return run


def _job_runner(
    rt: AppRuntime, done: list[str], *, patched: bool = False, batch_id: str = "bench"
) -> RunOne:
    """Claim the next submitted job, run it, release it: a worker's path for one job."""
    owner = "bench-overhead"

    async def run() -> int:
        job = await rt.leases.claim_next(owner, lease_s=300, batch_id=batch_id)
        if job is None:
            raise RuntimeError("no submitted bench job left")
        with proposed() if patched else nullcontext():
            result = await execute_job(rt, job)
        if result.status != "finished":
            raise RuntimeError(f"bench job ended {result.status}")
        await rt.leases.release_lease(job.id, owner, requeue=False)
        done.append(job.id)
        return 0  # counted afterwards from the timeline, off the clock

    return run


async def _job_steps(rt: AppRuntime, job_id: str) -> int:
    return sum(1 for event in await rt.events.timeline(job_id) if event.event == "left")


async def _timed(run: RunOne) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    steps = await run()
    return time.perf_counter() - wall, time.process_time() - cpu, steps


async def _runners(
    stack: AsyncExitStack,
    db_url: str,
    workdir: Path,
    done: list[str],
    done_proposed: list[str],
    jobs: int,
) -> tuple[AppRuntime, dict[str, RunOne]]:
    settings = bench_settings(db_url, workdir, research_dir=RESEARCH_DIR)
    rt = await stack.enter_async_context(
        open_runtime(settings, chains=endless_chains(), research=shared_research(), pool_size=4)
    )
    with proposed():  # the proposed pool reset is set when the pool opens
        rt_proposed = await stack.enter_async_context(
            open_runtime(settings, chains=endless_chains(), research=shared_research(), pool_size=4)
        )
    mirror = await open_mirror_pool(db_url)
    stack.push_async_callback(mirror.close)
    rt_proposed.mirror_pool = mirror  # type: ignore[attr-defined]
    await submit_jobs(rt, [JOB] * jobs, constraints=CONSTRAINTS)  # off the clock
    await submit_jobs(rt, [JOB] * jobs, constraints=CONSTRAINTS, batch_id="proposed")
    saver = await stack.enter_async_context(
        open_checkpointer(db_url, max_size=4, serde=checkpoint_serde())
    )
    synced = await stack.enter_async_context(
        open_checkpointer(db_url, max_size=4, serde=checkpoint_serde(), durable=True)
    )
    stock = await stack.enter_async_context(stock_saver(db_url, max_size=4))
    return rt, {
        "none": await _graph_runner(None),
        "memory": await _graph_runner(InMemorySaver(serde=checkpoint_serde())),
        "stock_pg": await _graph_runner(stock),
        "bacowr_saver": await _graph_runner(saver),
        "bacowr_saver_sync_commit": await _graph_runner(synced),
        "bacowr_job": _job_runner(rt, done),
        "bacowr_job_proposed": _job_runner(
            rt_proposed, done_proposed, patched=True, batch_id="proposed"
        ),
    }


async def measure(db_url: str, jobs: int, rounds: int, workdir: Path) -> list[Figure]:
    """Run `jobs` jobs per variant per round (after one warm-up job each); return figures."""
    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpus: dict[str, list[float]] = {v: [] for v in VARIANTS}
    steps: dict[str, int] = {}
    load = machine()
    done: list[str] = []
    done_proposed: list[str] = []
    async with AsyncExitStack() as stack:
        rt, runners = await _runners(stack, db_url, workdir, done, done_proposed, 1 + rounds * jobs)
        for variant in VARIANTS:
            await runners[variant]()  # warm-up: imports, prompt cache, pool connections
        for _ in range(rounds):
            for variant in VARIANTS:
                for _ in range(jobs):
                    wall, cpu, n = await _timed(runners[variant])
                    walls[variant].append(wall)
                    cpus[variant].append(cpu)
                    steps[variant] = n
        steps["bacowr_job"] = await _job_steps(rt, done[-1])
        steps["bacowr_job_proposed"] = await _job_steps(rt, done_proposed[-1])
    base = median(walls["none"])
    figures = []
    for variant in VARIANTS:
        per_job = median(walls[variant])
        n = steps[variant] or 1
        figures.append(
            Figure(
                figure="overhead_per_node_step",
                variant=variant,
                value=round((per_job - base) / n * 1000, 2),
                unit="ms",
                better="lower",
                detail={
                    "ms_per_job": round(per_job * 1000, 2),
                    "cpu_ms_per_job": round(median(cpus[variant]) * 1000, 2),
                    "steps_per_job": n,
                    "jobs": len(walls[variant]),
                    "concurrency": 1,
                    "llm": "in-process fakes",
                    "gate": variant in GATED,
                    **load,
                },
            )
        )
    return figures


async def _collect(jobs: int, rounds: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp, bench_database() as db_url:
        return await measure(db_url, jobs, rounds, Path(tmp))


def main(argv: list[str] | None = None) -> list[Figure]:
    """Print the table and the JSON lines; return the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench overhead", description=__doc__)
    parser.add_argument("--jobs", type=int, default=15, help="jobs per variant per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    figures = asyncio.run(_collect(args.jobs, args.rounds))
    print_table(
        ["variant", "ms/job", "cpu ms/job", "steps", "overhead ms/step"],
        [
            (
                f.variant,
                f.detail["ms_per_job"],
                f.detail["cpu_ms_per_job"],
                f.detail["steps_per_job"],
                f.value,
            )
            for f in figures
        ],
    )
    print_figures(figures)
    return figures


if __name__ == "__main__":
    main()
