"""Pytest plugin: a real PostgreSQL for the tests that need one.

Register it in the root conftest with `pytest_plugins = ["tests.postgres"]`.

The server is `$BACOWR_TEST_POSTGRES_URL` (an admin URL, or `embedded`), else 127.0.0.1:5432
when it answers, else a private embedded PostgreSQL in a temporary folder. Each test session gets a fresh
database (dropped at the end) migrated with alembic; each test starts from empty tables.
Tests using these fixtures are marked `postgres` automatically.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import sql

from storage._embedded import start_embedded, stop_embedded
from storage._urls import with_database
from storage.checkpointer import open_checkpointer
from storage.migrations import upgrade
from storage.pool import Pool, create_pool

__all__ = ["pg_checkpointer", "pg_pool", "postgres_server_url", "postgres_url"]

LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
APP_TABLES = (
    "articles",
    "article_versions",
    "job_events",
    "error_log",
    "research_cache",
    "jobs",
    "batches",
)
CHECKPOINT_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
_FIXTURES = frozenset(__all__)


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield an admin URL (database `postgres`) of a running server."""
    explicit = os.environ.get("BACOWR_TEST_POSTGRES_URL", "")
    if explicit and explicit != "embedded":
        yield explicit
        return
    if explicit != "embedded" and _answers(LOCAL_SERVER_URL):
        yield LOCAL_SERVER_URL
        return
    pgdata = tmp_path_factory.mktemp("embedded-pg") / "postgres"
    url = start_embedded(pgdata, database="postgres")
    try:
        yield url
    finally:
        stop_embedded(pgdata, force=True)


def create_database(server_url: str, prefix: str = "bacowr_test") -> str:
    """Create a fresh, uniquely named database; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(server_url, name)


def drop_database(server_url: str, url: str) -> None:
    """Drop the database `url` names, disconnecting anyone still on it."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(name)))
        )


@pytest.fixture(scope="session")
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """Yield the URL of this session's database, migrated to the newest revision."""
    url = create_database(postgres_server_url)
    try:
        upgrade(url)
        yield url
    finally:
        drop_database(postgres_server_url, url)


@pytest.fixture
async def pg_pool(postgres_url: str) -> AsyncIterator[Pool]:
    """Yield an asyncpg pool on the session database, every bacowr table emptied first."""
    pool = await create_pool(postgres_url, min_size=1, max_size=4)
    try:
        await pool.execute(f"TRUNCATE {', '.join(APP_TABLES)} RESTART IDENTITY CASCADE")
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def pg_checkpointer(postgres_url: str) -> AsyncIterator[AsyncPostgresSaver]:
    """Yield an `AsyncPostgresSaver` on the session database, its tables emptied first."""
    async with open_checkpointer(postgres_url, max_size=4) as saver:
        async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as conn:
            await conn.execute(f"TRUNCATE {', '.join(CHECKPOINT_TABLES)}")
        yield saver


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a Postgres fixture `postgres`, so `-m "not postgres"` works."""
    for item in items:
        if _FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
