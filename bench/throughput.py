"""Throughput ceiling: jobs per second at LLM latency 0 and concurrency 50.

The real worker (claim, lease, semaphore), the real graph, the Postgres checkpointer and
ledger; the LLM is either the loopback HTTP fake in a process of its own (`http`: the OpenAI
client, HTTP and JSON parsing are on the clock, as with a real provider) or in-process fake
chat models (`inproc`: bacowr's own ceiling). Jobs/s = finished jobs / (start -> last result).
Each repeat submits a fresh batch to the same runtime; the median repeat is reported.
`--stock` runs the same with LangGraph's stock saver (the before figure); `--proposed` with
the proposed ledger changes patched in (bench/_proposals.py). Both are reference figures.

Run: python -m bench throughput [--jobs 200] [--concurrency 50] [--llm http,inproc] [--repeats 3]
     [--stock] [--proposed]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from contextlib import nullcontext
from pathlib import Path

from bench._batch_run import BatchRun, LLMKind, bench_runtime, run_batch
from bench._db import bench_database
from bench._jobs import stock_runtime_saver
from bench._llm_proc import fake_llm_server
from bench._proposals import open_mirror_pool, proposed
from bench._report import Figure, machine, median, print_figures, print_table

__all__ = ["main", "measure"]


async def measure(
    db_url: str,
    llm_url: str | None,
    llm: LLMKind,
    jobs: int,
    concurrency: int,
    repeats: int,
    workdir: Path,
    pool_size: int,
    flavour: str = "",
) -> Figure:
    """Run `repeats` batches of `jobs` jobs; return the median jobs/s."""
    load = machine()
    runs: list[BatchRun] = []
    patch = proposed() if flavour == "proposed" else nullcontext()
    stock = stock_runtime_saver() if flavour == "stock" else nullcontext()
    with stock, patch:
        async with bench_runtime(
            db_url, workdir, jobs, llm=llm, llm_url=llm_url, pool_size=pool_size
        ) as bench:
            if flavour == "proposed":
                mirror = await open_mirror_pool(db_url)
                bench.rt.mirror_pool = mirror  # type: ignore[attr-defined]
            try:
                for _ in range(repeats):
                    runs.append(await run_batch(bench, concurrency))
            finally:
                if flavour == "proposed":
                    await mirror.close()
    rates = [r.finished / r.wall_s for r in runs]
    return Figure(
        figure="throughput",
        variant=f"{llm}_c{concurrency}" + (f"_{flavour}" if flavour else ""),
        value=round(median(rates), 1),
        unit="jobs/s",
        better="higher",
        detail={
            "runs_jobs_per_s": [round(r, 1) for r in rates],
            "cpu_s_per_job": round(median(r.cpu_s / max(1, r.finished) for r in runs), 4),
            "statuses": runs[-1].statuses,
            "jobs": jobs,
            "concurrency": concurrency,
            "latency_s": 0.0,
            "pool_size": pool_size,
            "llm": "HTTP fake (own process)" if llm == "http" else "in-process fakes",
            "gate": not flavour,
            **load,
        },
    )


async def _collect(args: argparse.Namespace) -> list[Figure]:
    figures = []
    flavour = "stock" if args.stock else "proposed" if args.proposed else ""
    for llm in args.llm.split(","):
        kind: LLMKind = "http" if llm == "http" else "inproc"
        with tempfile.TemporaryDirectory() as tmp, bench_database() as db_url:
            if kind == "http":
                with fake_llm_server(0.0) as url:
                    figures.append(
                        await measure(
                            db_url,
                            url,
                            kind,
                            args.jobs,
                            args.concurrency,
                            args.repeats,
                            Path(tmp),
                            args.pool_size,
                            flavour,
                        )
                    )
            else:
                figures.append(
                    await measure(
                        db_url,
                        None,
                        kind,
                        args.jobs,
                        args.concurrency,
                        args.repeats,
                        Path(tmp),
                        args.pool_size,
                        flavour,
                    )
                )
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    """Print the table and the JSON lines; return the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench throughput", description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--llm", default="http,inproc", help="http, inproc or both")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--stock", action="store_true", help="LangGraph's stock saver")
    parser.add_argument("--proposed", action="store_true", help="patch in the proposals")
    args = parser.parse_args(argv)
    figures = asyncio.run(_collect(args))
    print_table(
        ["variant", "jobs/s", "runs", "cpu s/job", "load1"],
        [
            (
                f.variant,
                f.value,
                f.detail["runs_jobs_per_s"],
                f.detail["cpu_s_per_job"],
                f.detail["load1"],
            )
            for f in figures
        ],
    )
    print_figures(figures)
    return figures


if __name__ == "__main__":
    main()
