"""API tests over the real app: a fresh database per module, the fake LLM, synthetic research.

`make_client(**settings)` runs the app's lifespan (preflight, runtime, in-process workers)
and returns an httpx client talking to it in-process (ASGITransport).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from api import create_app
from bench.fake_llm import FakeLLM, serve_in_thread
from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.job_package import InputMinimal
from schemas.settings import Settings
from storage.migrations import upgrade
from tests.postgres import APP_TABLES, CHECKPOINT_TABLES, create_database, drop_database

API_KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
# Jobs the recorded research knows; 5 and 6 end needs_review (the fake scores REVIEW low).
JOBS = synthetic_jobs(10, anchors={5: "laddbox REVIEW 5", 6: "laddbox REVIEW 6"})

MakeClient = Callable[..., Awaitable[httpx.AsyncClient]]


def job_body(job: InputMinimal, **extra: Any) -> dict[str, Any]:
    """The POST /api/v1/jobs body for a synthetic job (short articles: quick QC)."""
    return {
        "publisher_domain": job.publisher_domain,
        "target_url": job.target_url,
        "anchor_text": job.anchor_text,
        "generation_constraints": {"min_word_count": 300},
        **extra,
    }


@pytest.fixture(scope="module")
def api_db(postgres_server_url: str) -> Iterator[str]:
    """A database of this test module's own, migrated."""
    url = create_database(postgres_server_url, prefix="bacowr_api")
    upgrade(url)
    yield url
    drop_database(postgres_server_url, url)


@pytest.fixture
def empty_db(api_db: str) -> str:
    """The module's database with every table emptied."""
    with psycopg.connect(api_db, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(APP_TABLES)} RESTART IDENTITY CASCADE")
        for table in CHECKPOINT_TABLES:
            if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0]:  # type: ignore[index]
                conn.execute(f"TRUNCATE {table}")
    return api_db


@pytest.fixture
def fake_llm() -> Iterator[tuple[FakeLLM, str]]:
    """A fresh fake per test: langchain-openai caches its HTTP client per base URL, and a
    client from an earlier test's event loop fails in the next one."""
    fake = FakeLLM(latency_s=0.0)
    with serve_in_thread(fake) as base_url:
        yield fake, base_url


@pytest.fixture(scope="module")
def research_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("research"), JOBS)


def api_settings(db_url: str, llm_url: str, research: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": SecretStr(db_url),
        "llm_base_url": llm_url,
        "llm_model": "fake",
        "llm_api_key": SecretStr("test"),
        "llm_timeout_s": 10,
        "research_dir": research,
        "api_keys": [SecretStr(API_KEY)],
        "api_workers": 2,
        **extra,
    }
    return Settings(**values)


@pytest.fixture
async def make_client(
    empty_db: str, fake_llm: tuple[FakeLLM, str], research_dir: Path
) -> AsyncIterator[MakeClient]:
    """Start the app (lifespan included) with settings overrides; close everything after."""
    managers: list[LifespanManager] = []
    clients: list[httpx.AsyncClient] = []

    async def make(*, auth: bool = True, **extra: Any) -> httpx.AsyncClient:
        settings = api_settings(empty_db, fake_llm[1], research_dir, **extra)
        app = create_app(settings, poll_s=0.05, worker_poll_s=0.05)
        manager = LifespanManager(app, startup_timeout=90, shutdown_timeout=90)
        await manager.__aenter__()
        managers.append(manager)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://testserver",
            headers=AUTH if auth else {},
            timeout=60,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
    for manager in reversed(managers):
        await manager.__aexit__(None, None, None)


@pytest.fixture
async def client(make_client: MakeClient) -> httpx.AsyncClient:
    """The app with API keys and two in-process job slots."""
    return await make_client()


async def wait_for_status(
    client: httpx.AsyncClient, job_id: str, statuses: set[str], timeout_s: float = 90
) -> dict[str, Any]:
    """Poll GET /api/v1/jobs/{id} until the job is in one of `statuses`; return its body."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        response = await client.get(f"/api/v1/jobs/{job_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in statuses:
            return body
        ended = body["status"] not in ("queued", "running")
        assert not ended, f"job ended {body['status']}, expected {statuses}: {body}"
        assert loop.time() < deadline, f"job stuck in {body['status']}: {body}"
        await asyncio.sleep(0.1)
