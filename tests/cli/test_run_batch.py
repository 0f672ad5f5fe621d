"""`bacowr run` end to end: a batch in a subprocess, exported; the same file again adds nothing."""

from __future__ import annotations

import csv
import zipfile

import psycopg
import pytest

from bench.synthetic import synthetic_jobs, write_snapshot
from tests.cli.conftest import CliEnv, write_jobs_csv

pytestmark = pytest.mark.slow


def count(db_url: str, sql: str) -> int:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


def test_run_exports_and_a_second_run_creates_nothing(cli_env: CliEnv) -> None:
    jobs = synthetic_jobs(10, publishers=3, anchors={4: "laddbox FAIL 4"})
    write_snapshot(cli_env.tmp / "research", jobs)
    jobs_csv = write_jobs_csv(cli_env.tmp / "jobs.csv", jobs)
    first = cli_env.run("run", str(jobs_csv), "--concurrency", "4", "--out", "out")
    assert first.returncode == 1, first.stderr  # one job failed on purpose
    assert count(cli_env.db_url, "SELECT count(*) FROM jobs") == 10
    assert count(cli_env.db_url, "SELECT count(*) FROM articles") == 9
    folder = next(p for p in (cli_env.tmp / "out").iterdir() if p.is_dir())
    report = list(csv.DictReader((folder / "report.csv").open(encoding="utf-8")))
    assert len(report) == 10
    assert sorted(r["outcome"] for r in report).count("passed") == 9
    assert len(list((folder / "articles").glob("*.md"))) == 9
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        assert "report.csv" in {name.split("/")[-1] for name in archive.namelist()}
    calls = sum(cli_env.fake.by_role.values())

    second = cli_env.run("run", str(jobs_csv), "--concurrency", "4", "--out", "out")
    assert second.returncode == 1, second.stderr
    assert count(cli_env.db_url, "SELECT count(*) FROM jobs") == 10
    assert count(cli_env.db_url, "SELECT count(*) FROM articles") == 9
    assert count(cli_env.db_url, "SELECT count(*) FROM batches") == 1
    assert sum(cli_env.fake.by_role.values()) == calls  # nothing ran twice


def test_a_file_that_is_not_a_table_gets_one_clear_error(cli_env: CliEnv) -> None:
    bad = cli_env.tmp / "jobs.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = cli_env.run("run", str(bad))
    assert result.returncode == 2
    assert "error" in result.stdout.lower() + result.stderr.lower()
