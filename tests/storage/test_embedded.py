"""resolve_database: the configured URL, or a private embedded PostgreSQL in data_dir."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import psycopg
import pytest
from pydantic import SecretStr

from schemas.settings import Settings
from storage._embedded import embedded_url, stop_embedded
from storage.database import EMBEDDED_DATABASE, resolve_database
from storage.migrations import current_revision, head_revision, upgrade
from storage.pool import create_pool

REPO_ROOT = Path(__file__).resolve().parents[2]


async def test_configured_url_is_used_as_is(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=SecretStr("postgresql+asyncpg://u:pw@db:5432/bacowr")
    )
    handle = await resolve_database(settings)
    assert handle.url == "postgresql://u:pw@db:5432/bacowr"
    assert not handle.embedded
    assert "pw" not in repr(handle)
    assert not await handle.stop()
    assert not (tmp_path / "postgres").exists()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    stop_embedded(tmp_path / "postgres", force=True)  # whatever the test left running


@pytest.mark.slow
async def test_embedded_lifecycle(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, database_url=None)
    handle = await resolve_database(settings)
    assert handle.embedded and handle.pgdata == (data_dir / "postgres").resolve()
    assert handle.url.startswith(f"postgresql://postgres@/{EMBEDDED_DATABASE}?host=")

    # Both drivers, and alembic, accept the Unix-socket URL.
    with psycopg.connect(handle.url) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == (EMBEDDED_DATABASE,)
    await asyncio.to_thread(upgrade, handle.url)
    assert current_revision(handle.url) == head_revision()
    pool = await create_pool(handle.url)
    assert await pool.fetchval("SELECT count(*) FROM jobs") == 0

    # Resolving again reuses the running server.
    again = await resolve_database(settings)
    assert again.url == handle.url

    # Another client is connected: a polite stop leaves the server running.
    assert not await again.stop()
    await pool.close()
    assert await handle.stop()
    assert embedded_url(data_dir / "postgres", database=EMBEDDED_DATABASE) is None
    with pytest.raises((OSError, asyncpg.PostgresError)):
        await asyncpg.connect(handle.url, timeout=2)

    # A stopped server starts again, its data intact; the context manager stops it.
    async with await resolve_database(settings, stop_on_exit=True) as restarted:
        assert restarted.url == handle.url
        assert current_revision(restarted.url) == head_revision()
    assert embedded_url(data_dir / "postgres", database=EMBEDDED_DATABASE) is None


_START = """
import asyncio, sys
from pathlib import Path
from schemas.settings import Settings
from storage.database import resolve_database
handle = asyncio.run(resolve_database(Settings(data_dir=Path(sys.argv[1]), database_url=None)))
print(handle.url)
"""


@pytest.mark.slow
def test_two_processes_starting_at_once_share_one_server(data_dir: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _START, str(data_dir)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outputs]
    urls = {out.strip() for out, _ in outputs}
    assert len(urls) == 1
    with psycopg.connect(urls.pop()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
