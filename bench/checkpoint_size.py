"""Checkpoint rows and bytes per finished job, before and after pruning.

Runs N jobs through the real graph, the real worker and the Postgres checkpointer (with the
loopback fake LLM and synthetic recorded research), then prunes with `keep=last` and
`keep=none` and prints a table and one JSON line per stage.

Run: python -m bench checkpoint_size [--jobs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench._db import bench_database
from bench._jobs import bench_settings, submit_jobs
from bench._report import Figure, machine, print_figures, print_table
from bench.fake_llm import FakeLLM, serve_in_thread
from bench.synthetic import synthetic_jobs, write_snapshot
from services.maintenance import checkpoint_stats, prune_checkpoints
from services.runtime import open_runtime
from services.worker import Worker

__all__ = ["main", "measure"]

STAGES = (("before_pruning", None), ("keep_last", "last"), ("keep_none", "none"))


async def measure(db_url: str, llm_url: str, jobs: int, workdir: Path) -> list[Figure]:
    """Run the jobs; return KB per job before pruning, after keep=last and after keep=none."""
    load = machine()
    inputs = synthetic_jobs(jobs, publishers=max(1, jobs // 5))
    settings = bench_settings(
        db_url, workdir, research_dir=write_snapshot(workdir / "research", inputs), llm_url=llm_url
    )
    figures = []
    async with open_runtime(settings) as rt:
        await submit_jobs(rt, inputs)
        await Worker(rt, concurrency=8, batch_id="bench").run(until_idle=True)
        await rt.pool.execute("UPDATE jobs SET finished_at = now() - interval '30 days'")
        for stage, keep in STAGES:
            if keep is not None:
                await prune_checkpoints(rt, older_than_days=1, keep=keep)  # type: ignore[arg-type]
            stats = await checkpoint_stats(rt)
            figures.append(
                Figure(
                    figure="checkpoint_kb_per_finished_job",
                    variant=stage,
                    value=round(stats.bytes_per_job / 1024, 2),
                    unit="KB/job",
                    better="lower",
                    detail={
                        "jobs": stats.jobs,
                        "rows_per_job": round(stats.rows_per_job, 1),
                        **load,
                    },
                )
            )
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    """Print the table and the JSON lines; return the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench checkpoint_size", description=__doc__)
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database() as db_url,
        serve_in_thread(FakeLLM(latency_s=0.0)) as llm_url,
    ):
        figures = asyncio.run(measure(db_url, llm_url, args.jobs, Path(tmp)))
    print_table(
        ["stage", "jobs", "rows/job", "KB/job"],
        [(f.variant, f.detail["jobs"], f.detail["rows_per_job"], f.value) for f in figures],
    )
    print_figures(figures)
    return figures


if __name__ == "__main__":
    main()
