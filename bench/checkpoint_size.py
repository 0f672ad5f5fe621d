"""Checkpoint rows and bytes per finished job, before and after pruning.

Runs N jobs through the real graph, the real worker and the Postgres checkpointer (with the
loopback fake LLM and synthetic recorded research), then prunes with `keep=last` and
`keep=none` and prints a table and one JSON line per stage.

Run: python -m bench.checkpoint_size [--jobs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

from pydantic import SecretStr

from bench._db import bench_database
from bench.fake_llm import FakeLLM, serve_in_thread
from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.job_package import GenerationConstraints
from schemas.settings import Settings
from services.batch_import import AcceptedRow
from services.batches import submit_rows
from services.maintenance import checkpoint_stats, prune_checkpoints
from services.runtime import open_runtime
from services.worker import Worker


async def measure(db_url: str, llm_url: str, jobs: int, workdir: Path) -> list[dict[str, object]]:
    """Run the jobs; return stats before pruning, after keep=last and after keep=none."""
    inputs = synthetic_jobs(jobs, publishers=max(1, jobs // 5))
    settings = Settings(
        database_url=SecretStr(db_url),
        llm_base_url=llm_url,
        llm_model="fake",
        llm_api_key=SecretStr("bench"),
        research_dir=write_snapshot(workdir / "research", inputs),
        data_dir=workdir / "data",
    )
    rows = [
        AcceptedRow(
            row_number=i + 2,
            input_minimal=job,
            generation_constraints=GenerationConstraints(min_word_count=300),
            idempotency_key=None,
            priority=0,
        )
        for i, job in enumerate(inputs)
    ]
    results = []
    async with open_runtime(settings) as rt:
        await rt.batches.create_or_get("bench", "bench")
        await submit_rows(rt, "bench", rows)
        await Worker(rt, concurrency=8, batch_id="bench").run(until_idle=True)
        await rt.pool.execute("UPDATE jobs SET finished_at = now() - interval '30 days'")
        for stage, keep in (("before pruning", None), ("keep=last", "last"), ("keep=none", "none")):
            if keep is not None:
                await prune_checkpoints(rt, older_than_days=1, keep=keep)  # type: ignore[arg-type]
            stats = await checkpoint_stats(rt)
            results.append(
                {
                    "figure": "checkpoint_per_finished_job",
                    "stage": stage,
                    "jobs": stats.jobs,
                    "rows_per_job": round(stats.rows_per_job, 1),
                    "kb_per_job": round(stats.bytes_per_job / 1024, 2),
                }
            )
    return results


def main() -> None:
    """Print the table and the JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database() as db_url,
        serve_in_thread(FakeLLM(latency_s=0.0)) as llm_url,
    ):
        results = asyncio.run(measure(db_url, llm_url, args.jobs, Path(tmp)))
    print(f"{'stage':<16}{'jobs':>6}{'rows/job':>10}{'KB/job':>10}")
    for r in results:
        print(f"{r['stage']:<16}{r['jobs']:>6}{r['rows_per_job']:>10}{r['kb_per_job']:>10}")
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
