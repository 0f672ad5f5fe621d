"""A PostgreSQL restart in the middle of a batch: jobs wait and continue; none fails."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from bench.fake_llm import FakeLLM, serve_in_thread
from bench.synthetic import synthetic_jobs, write_snapshot
from schemas.enums import Outcome
from schemas.settings import Settings
from services.batches import submit_rows
from services.runtime import open_runtime
from services.worker import Worker
from storage._embedded import start_embedded, stop_embedded
from tests.services.test_worker import rows

pytestmark = pytest.mark.slow


async def test_batch_survives_a_database_restart(tmp_path: Path) -> None:
    pgdata = tmp_path / "pg"
    url = await asyncio.to_thread(start_embedded, pgdata, database="bacowr")
    jobs = synthetic_jobs(24, publishers=4)
    try:
        with serve_in_thread(FakeLLM(latency_s=0.15)) as llm_url:
            settings = Settings(
                database_url=SecretStr(url),
                llm_base_url=llm_url,
                llm_model="fake",
                llm_api_key=SecretStr("t"),
                research_dir=write_snapshot(tmp_path / "research", jobs),
                data_dir=tmp_path / "data",
            )
            async with open_runtime(settings) as rt:
                await rt.batches.create_or_get("b", "b")
                await submit_rows(rt, "b", rows(jobs))
                worker = Worker(rt, concurrency=6, batch_id="b", lease_s=20)
                running = asyncio.create_task(worker.run(until_idle=True))
                # Polling the ledger is the point here: wait until a few jobs have passed.
                while (await rt.jobs.count_by_status(batch_id="b")).get("passed", 0) < 4:  # type: ignore[call-overload]  # noqa: ASYNC110
                    await asyncio.sleep(0.2)
                await asyncio.to_thread(stop_embedded, pgdata, force=True)
                await asyncio.sleep(3)  # the batch runs into a dead database for a while
                await asyncio.to_thread(start_embedded, pgdata, database="bacowr")
                await asyncio.wait_for(running, 180)
                counts = await rt.jobs.count_by_status(batch_id="b")
                assert counts.get(Outcome.passed) == 24, counts  # type: ignore[call-overload]
                assert await rt.pool.fetchval("SELECT count(*) FROM articles") == 24
    finally:
        await asyncio.to_thread(stop_embedded, pgdata, force=True)
