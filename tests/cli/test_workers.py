"""Two `bacowr worker` processes share one database and never run the same job."""

from __future__ import annotations

import asyncio
import signal
import time

import psycopg
import pytest
from pydantic import SecretStr

from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.settings import Settings
from services.batch_import import parse_batch
from services.batches import submit_batch
from services.runtime import open_runtime
from tests.cli.conftest import CliEnv

pytestmark = pytest.mark.slow


@pytest.fixture
def llm_latency() -> float:
    return 0.1


async def submit(cli_env: CliEnv, n: int) -> None:
    jobs = synthetic_jobs(n, publishers=6)
    write_snapshot(cli_env.tmp / "research", jobs)
    data = "publisher_domain,target_url,anchor_text,min_word_count\n" + "\n".join(
        f"{j.publisher_domain},{j.target_url},{j.anchor_text},300" for j in jobs
    )
    settings = Settings(database_url=SecretStr(cli_env.db_url), data_dir=cli_env.tmp / "data")
    async with open_runtime(settings, with_llm=False) as rt:
        await submit_batch(
            rt, parse_batch(data.encode(), "w.csv"), name="w", batch_id="w", concurrency=4
        )


def test_two_workers_split_a_batch_without_running_a_job_twice(cli_env: CliEnv) -> None:
    n = 40
    asyncio.run(submit(cli_env, n))
    workers = [cli_env.popen("worker", "--concurrency", "4", "--lease-s", "10") for _ in range(2)]
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with psycopg.connect(cli_env.db_url) as conn:
                done = conn.execute("SELECT count(*) FROM jobs WHERE status = 'passed'").fetchone()
            if done and done[0] == n:
                break
            time.sleep(0.5)
        owners_seen = set()
        with psycopg.connect(cli_env.db_url) as conn:
            passed = conn.execute("SELECT count(*) FROM jobs WHERE status = 'passed'").fetchone()
            for (detail,) in conn.execute("SELECT DISTINCT lease_owner FROM jobs"):
                owners_seen.add(detail)
        assert passed is not None and passed[0] == n
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            proc.wait(timeout=60)
    # The researcher, sentinel and writer prompts name the target (the QC prompt does not).
    per_target = {t: c for t, c in cli_env.fake.by_target.items() if t != "unknown"}
    assert len(per_target) == n
    assert all(calls == 3 for calls in per_target.values()), per_target  # no job ran twice
    assert cli_env.fake.by_role["qc_reviewer"] == n
