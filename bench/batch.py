"""Batch efficiency: ideal / wall for N jobs at a real-ish LLM latency.

The real worker, graph, Postgres checkpointer and ledger, with the loopback HTTP fake LLM in a
process of its own at `--latency` seconds per call. ideal = N x LLM calls per job x latency /
concurrency (calls per job counted at the fake: 4 when every job passes first time); an
efficiency of 1.0 means bacowr adds nothing to the LLM's own time.

Run: python -m bench batch [--jobs 300] [--latency 0.5] [--concurrency 50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench._batch_run import bench_runtime, run_batch
from bench._db import bench_database
from bench._llm_proc import fake_llm_server, llm_calls
from bench._report import Figure, machine, print_figures, print_table

__all__ = ["main", "measure"]


async def measure(
    db_url: str,
    llm_url: str,
    jobs: int,
    latency_s: float,
    concurrency: int,
    workdir: Path,
    pool_size: int,
) -> Figure:
    """Run one batch; return its efficiency."""
    load = machine()
    calls_before = llm_calls(llm_url)
    async with bench_runtime(
        db_url, workdir, jobs, llm="http", llm_url=llm_url, pool_size=pool_size
    ) as bench:
        run = await run_batch(bench, concurrency)
    calls = llm_calls(llm_url) - calls_before
    per_job = calls / max(1, run.finished)
    ideal = jobs * per_job * latency_s / concurrency
    return Figure(
        figure="batch_efficiency",
        variant=f"n{jobs}_lat{latency_s}_c{concurrency}",
        value=round(ideal / run.wall_s, 3),
        unit="ideal/wall",
        better="higher",
        detail={
            "ideal_s": round(ideal, 2),
            "wall_s": run.wall_s,
            "llm_calls_per_job": round(per_job, 2),
            "cpu_s": run.cpu_s,
            "statuses": run.statuses,
            "jobs": jobs,
            "concurrency": concurrency,
            "latency_s": latency_s,
            "pool_size": pool_size,
            "llm": "HTTP fake (own process)",
            **load,
        },
    )


async def _collect(args: argparse.Namespace) -> list[Figure]:
    figures = []
    with fake_llm_server(args.latency) as url:
        for concurrency in (int(c) for c in args.concurrency.split(",")):
            with tempfile.TemporaryDirectory() as tmp, bench_database() as db_url:
                figures.append(
                    await measure(
                        db_url, url, args.jobs, args.latency, concurrency, Path(tmp), args.pool_size
                    )
                )
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    """Print the table and the JSON lines; return the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench batch", description=__doc__)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", default="50,200")
    parser.add_argument("--pool-size", type=int, default=10)
    args = parser.parse_args(argv)
    figures = asyncio.run(_collect(args))
    print_table(
        ["variant", "ideal s", "wall s", "efficiency", "calls/job", "cpu s", "load1"],
        [
            (
                f.variant,
                f.detail["ideal_s"],
                f.detail["wall_s"],
                f.value,
                f.detail["llm_calls_per_job"],
                f.detail["cpu_s"],
                f.detail["load1"],
            )
            for f in figures
        ],
    )
    print_figures(figures)
    return figures


if __name__ == "__main__":
    main()
