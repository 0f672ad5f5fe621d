"""Memory per in-flight job: the slope of process RSS over jobs held mid-graph.

The real worker and runtime with the loopback HTTP fake LLM in a process of its own (so its
memory is not counted), answering only after `--hold` seconds: every claimed job enters the
research node and waits in its first LLM call. The batch grows in steps (1, 50, 200, 1000
jobs in flight, counted in the ledger); at each step, after a settle pause and a GC, this
process's RSS is read from /proc/self/status. The figure is the least-squares slope.

bacowr's shared httpx client allows 200 connections: above that, jobs wait for a connection
inside the LLM call; they are in flight all the same (claimed, leased, mid-graph).

Run: python -m bench memory [--levels 1,50,200,1000] [--hold 600] [--settle 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import tempfile
import time
from pathlib import Path

from bench._db import bench_database
from bench._jobs import bench_settings, submit_jobs
from bench._llm_proc import fake_llm_server
from bench._report import Figure, machine, print_figures, print_table, rss_kb
from bench.synthetic import synthetic_jobs, write_snapshot
from services.runtime import AppRuntime, open_runtime
from services.worker import Worker

__all__ = ["linear_fit", "main", "measure"]


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Return (slope, intercept) of the least-squares line through the points."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx if sxx else 0.0
    return slope, mean_y - slope * mean_x


async def _in_research(rt: AppRuntime) -> int:
    count = await rt.pool.fetchval(
        "SELECT count(*) FROM jobs WHERE status = 'running' AND current_node = 'research'"
    )
    return int(count)


async def _hold(rt: AppRuntime, target: int, timeout_s: float) -> int:
    """Poll the ledger until `target` jobs wait in the research node (or time runs out)."""
    deadline = time.monotonic() + timeout_s
    n = await _in_research(rt)
    while n < target and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        n = await _in_research(rt)
    return n


async def measure(
    db_url: str, llm_url: str, levels: list[int], settle_s: float, workdir: Path
) -> tuple[Figure, list[tuple[int, int]]]:
    """Ramp the jobs in flight through `levels`; return the slope figure and the points."""
    load = machine()
    inputs = synthetic_jobs(max(levels), publishers=max(1, max(levels) // 5))
    settings = bench_settings(
        db_url,
        workdir,
        research_dir=write_snapshot(workdir / "research", inputs),
        llm_url=llm_url,
        llm_timeout_s=3600,
    )
    points: list[tuple[int, int]] = []
    async with open_runtime(settings) as rt:
        worker = Worker(rt, concurrency=max(levels), batch_id="bench", poll_s=0.05, lease_s=600)
        running = asyncio.create_task(worker.run())
        try:
            submitted = 0
            for level in levels:
                await submit_jobs(rt, inputs[submitted:level])
                submitted = level
                held = await _hold(rt, level, timeout_s=120)
                await asyncio.sleep(settle_s)
                gc.collect()
                points.append((held, rss_kb()))
        finally:
            # The first cancel stops claiming; the worker then waits for its held jobs, so a
            # second one cancels them too (they are stuck in the held LLM call).
            running.cancel()
            await asyncio.sleep(0.2)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(running, 30)
    slope, intercept = linear_fit([float(n) for n, _ in points], [float(kb) for _, kb in points])
    figure = Figure(
        figure="memory_per_inflight_job",
        variant="rss_slope",
        value=round(slope, 1),
        unit="KB/job",
        better="lower",
        detail={
            "points_jobs_rss_kb": points,
            "intercept_mb": round(intercept / 1024, 1),
            "llm": "HTTP fake (own process), held in the first LLM call",
            **load,
        },
    )
    return figure, points


async def _collect(args: argparse.Namespace) -> tuple[Figure, list[tuple[int, int]]]:
    levels = [int(n) for n in args.levels.split(",")]
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database() as db_url,
        fake_llm_server(args.hold) as url,
    ):
        return await measure(db_url, url, levels, args.settle, Path(tmp))


def main(argv: list[str] | None = None) -> list[Figure]:
    """Print the table and the JSON line; return the figure."""
    parser = argparse.ArgumentParser(prog="python -m bench memory", description=__doc__)
    parser.add_argument("--levels", default="1,50,200,1000")
    parser.add_argument("--hold", type=float, default=600.0, help="fake LLM latency, seconds")
    parser.add_argument("--settle", type=float, default=2.0)
    args = parser.parse_args(argv)
    figure, points = asyncio.run(_collect(args))
    print_table(["jobs in flight", "RSS MB"], [(n, round(kb / 1024, 1)) for n, kb in points])
    print(f"slope: {figure.value} KB per in-flight job")
    print_figures([figure])
    return [figure]


if __name__ == "__main__":
    main()
