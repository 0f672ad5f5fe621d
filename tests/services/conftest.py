"""Postgres-backed service tests: a clean database, the fake LLM server, synthetic research."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr

from bench.fake_llm import FakeLLM, serve_in_thread
from schemas.settings import Settings
from services.runtime import AppRuntime, open_runtime
from storage.pool import create_pool
from tests.postgres import APP_TABLES, CHECKPOINT_TABLES


@pytest.fixture
async def clean_db(postgres_url: str) -> AsyncIterator[str]:
    """The session database with every bacowr and checkpoint table emptied."""
    pool = await create_pool(postgres_url, min_size=1, max_size=2)
    try:
        await pool.execute(f"TRUNCATE {', '.join(APP_TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await pool.close()
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as conn:
        for table in CHECKPOINT_TABLES:
            exists = await (await conn.execute("SELECT to_regclass(%s)", (table,))).fetchone()
            if exists and exists[0] is not None:
                await conn.execute(f"TRUNCATE {table}")
    yield postgres_url


@pytest.fixture
def fake_llm() -> Iterator[tuple[FakeLLM, str]]:
    fake = FakeLLM(latency_s=0.0)
    with serve_in_thread(fake) as base_url:
        yield fake, base_url


def service_settings(db_url: str, base_url: str, research_dir: Path, **extra: object) -> Settings:
    return Settings(
        database_url=SecretStr(db_url),
        llm_base_url=base_url,
        llm_model="fake",
        llm_api_key=SecretStr("test"),
        llm_timeout_s=10,
        research_dir=research_dir,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
async def runtime_factory(clean_db: str, fake_llm: tuple[FakeLLM, str]):  # type: ignore[no-untyped-def]
    """Open an AppRuntime on the clean database and the fake LLM for a research folder."""
    opened: list[object] = []

    async def make(research_dir: Path, **extra: object) -> AppRuntime:
        settings = service_settings(clean_db, fake_llm[1], research_dir, **extra)
        cm = open_runtime(settings)
        rt = await cm.__aenter__()
        opened.append(cm)
        return rt

    yield make
    for cm in reversed(opened):
        await cm.__aexit__(None, None, None)  # type: ignore[attr-defined]
