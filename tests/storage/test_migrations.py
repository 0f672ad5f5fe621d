"""Alembic migrations upgrade and downgrade cleanly on a fresh database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from storage.checkpointer import open_checkpointer
from storage.migrations import current_revision, downgrade, head_revision, upgrade
from tests.postgres import create_database, drop_database

pytestmark = pytest.mark.postgres

REPO_ROOT = Path(__file__).resolve().parents[2]

TABLES = {
    "alembic_version",
    "articles",
    "article_versions",
    "batches",
    "error_log",
    "job_events",
    "jobs",
    "research_cache",
}


@pytest.fixture
def fresh_url(postgres_server_url: str) -> Iterator[str]:
    url = create_database(postgres_server_url, prefix="bacowr_migrations")
    try:
        yield url
    finally:
        drop_database(postgres_server_url, url)


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    assert current_revision(fresh_url) is None

    upgrade(fresh_url)
    assert _tables(fresh_url) == TABLES
    assert current_revision(fresh_url) == head_revision() == "0001"

    downgrade(fresh_url)
    assert _tables(fresh_url) == {"alembic_version"}
    assert current_revision(fresh_url) is None

    upgrade(fresh_url)
    assert _tables(fresh_url) == TABLES


def test_upgrade_twice_is_a_no_op(fresh_url: str) -> None:
    upgrade(fresh_url)
    upgrade(fresh_url)
    assert current_revision(fresh_url) == head_revision()


def test_status_and_outcome_are_checked(fresh_url: str) -> None:
    upgrade(fresh_url)
    with psycopg.connect(fresh_url) as conn:
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO jobs (id, input, status) VALUES ('j1', '{}', 'done')")
        conn.rollback()
        with pytest.raises(psycopg.errors.CheckViolation):
            # A terminal outcome needs the matching status.
            conn.execute(
                "INSERT INTO jobs (id, input, status, outcome) VALUES ('j2', '{}', 'running', 'passed')"
            )


async def test_checkpointer_tables_stay_out_of_alembic(fresh_url: str) -> None:
    upgrade(fresh_url)
    async with open_checkpointer(fresh_url):
        pass
    assert {"checkpoints", "checkpoint_blobs", "checkpoint_writes"} <= _tables(fresh_url)
    downgrade(fresh_url)
    # Downgrading bacowr's schema leaves the checkpointer's tables alone.
    assert "checkpoints" in _tables(fresh_url)
    assert "jobs" not in _tables(fresh_url)


def test_concurrent_upgrades_from_two_processes(fresh_url: str) -> None:
    code = "import sys; from storage.migrations import upgrade; upgrade(sys.argv[1])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, fresh_url],
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert current_revision(fresh_url) == head_revision()
