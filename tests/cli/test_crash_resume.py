"""Crash-resume: SIGKILL a running batch at random moments and at narrow points; every job
still ends exactly once, with one article per passed job, and little LLM work is lost."""

from __future__ import annotations

import random
import signal
import time

import psycopg
import pytest

from bench.synthetic import synthetic_jobs, write_snapshot
from services.execution import CRASH_EXIT
from tests.cli.conftest import CliEnv, write_jobs_csv

pytestmark = pytest.mark.slow

CONCURRENCY = 8
CALLS_PER_JOB = 4  # researcher, sentinel, writer, QC reviewer: every job passes first time


@pytest.fixture
def llm_latency() -> float:
    return 0.2


def ledger(db_url: str) -> dict[str, int]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
        counts = {status: int(n) for status, n in rows}
        counts["articles"] = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
        counts["article_jobs"] = int(
            conn.execute("SELECT count(DISTINCT job_id) FROM articles").fetchone()[0]  # type: ignore[index]
        )
    return counts


def prepare(cli_env: CliEnv, n: int) -> str:
    jobs = synthetic_jobs(n, publishers=10)
    write_snapshot(cli_env.tmp / "research", jobs)
    return str(write_jobs_csv(cli_env.tmp / "jobs.csv", jobs))


def test_random_sigkills_lose_no_job_and_no_article_is_written_twice(cli_env: CliEnv) -> None:
    n = 100
    jobs_csv = prepare(cli_env, n)
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        proc = cli_env.popen("run", jobs_csv, "--concurrency", str(CONCURRENCY))
        time.sleep(rng.uniform(2.5, 5.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
    assert kills >= 3, "the batch finished before it could be killed: make it longer"
    final = cli_env.run("run", jobs_csv, "--concurrency", str(CONCURRENCY), timeout=600)
    assert final.returncode == 0, final.stderr[-2000:]
    counts = ledger(cli_env.db_url)
    assert counts.get("passed") == n, counts  # every job ended, none lost
    assert counts["articles"] == counts["article_jobs"] == n  # exactly one article per job
    calls = sum(cli_env.fake.by_role.values())
    wasted = calls - CALLS_PER_JOB * n
    assert 0 <= wasted <= kills * CONCURRENCY, (calls, kills)


@pytest.mark.parametrize(
    ("crash_at", "crash_node"),
    [("after_final_commit", "write"), ("before_node", "qc_review"), ("before_node", "write")],
)
def test_crash_at_narrow_points_resumes_exactly_once(
    cli_env: CliEnv, crash_at: str, crash_node: str
) -> None:
    n = 12
    jobs_csv = prepare(cli_env, n)
    crashed = cli_env.run(
        "run",
        jobs_csv,
        "--concurrency",
        "4",
        BACOWR_CRASH_AT=crash_at,
        BACOWR_CRASH_NODE=crash_node,
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr[-2000:]
    before = ledger(cli_env.db_url)
    final = cli_env.run("run", jobs_csv, "--concurrency", "4")
    assert final.returncode == 0, final.stderr[-2000:]
    counts = ledger(cli_env.db_url)
    assert counts.get("passed") == n, counts
    assert counts["articles"] == counts["article_jobs"] == n
    if crash_at == "after_final_commit":
        assert before["articles"] >= 1  # the committed article survived the crash
    writer_calls = cli_env.fake.by_role["writer"]
    # Only jobs caught inside the write node when the process died may write twice.
    assert writer_calls <= n + 4, writer_calls
