"""Bench wiring: settings for a throwaway database, jobs submitted to the ledger, a stock saver."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool
from pydantic import SecretStr

import services.runtime as runtime
from graphs.serde import checkpoint_serde
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import Settings
from services.batch_import import AcceptedRow
from services.batches import submit_rows
from services.runtime import AppRuntime
from storage._urls import normalize_url
from storage.checkpointer import open_checkpointer
from storage.records import Job

__all__ = ["bench_settings", "stock_runtime_saver", "stock_saver", "submit_jobs"]

BATCH = "bench"


def bench_settings(
    db_url: str,
    workdir: Path,
    *,
    research_dir: Path,
    llm_url: str | None = None,
    **overrides: object,
) -> Settings:
    """Return settings on the bench database; with `llm_url`, every role uses that server."""
    extra: dict[str, object] = dict(overrides)
    if llm_url is not None:
        extra |= {"llm_base_url": llm_url, "llm_model": "fake", "llm_api_key": SecretStr("bench")}
    return Settings(
        database_url=SecretStr(db_url),
        research_dir=research_dir,
        data_dir=workdir / "data",
        **extra,  # type: ignore[arg-type]
    )


async def submit_jobs(
    rt: AppRuntime,
    inputs: Sequence[InputMinimal],
    *,
    batch_id: str = BATCH,
    constraints: GenerationConstraints | None = None,
) -> list[Job]:
    """Create the batch (once) and one queued job per input; return the jobs."""
    await rt.batches.create_or_get(batch_id, batch_id)
    rows = [
        AcceptedRow(
            row_number=i + 2,
            input_minimal=job,
            generation_constraints=constraints or GenerationConstraints(min_word_count=300),
            idempotency_key=f"bench-{uuid.uuid4().hex}",  # copies of one input stay apart
            priority=0,
        )
        for i, job in enumerate(inputs)
    ]
    jobs, _ = await submit_rows(rt, batch_id, rows)
    return jobs


@asynccontextmanager
async def stock_saver(url: str, max_size: int = 10) -> AsyncIterator[AsyncPostgresSaver]:
    """Yield LangGraph's own AsyncPostgresSaver on a pool as bacowr had it (tables must exist):
    the stock connection check, synchronous commits."""
    pool: AsyncConnectionPool[AsyncConnection[DictRow]] = AsyncConnectionPool(
        normalize_url(url),
        connection_class=AsyncConnection[DictRow],
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        min_size=1,
        max_size=max_size,
        check=AsyncConnectionPool.check_connection,
        open=False,
    )
    async with pool:
        yield AsyncPostgresSaver(conn=pool, serde=checkpoint_serde())


@asynccontextmanager
async def _stock_checkpointer(
    url: str, *, max_size: int = 10, serde: object = None, **_: object
) -> AsyncIterator[AsyncPostgresSaver]:
    async with open_checkpointer(url, max_size=1):
        pass  # creates the tables
    async with stock_saver(url, max_size) as saver:
        yield saver


@contextmanager
def stock_runtime_saver() -> Iterator[None]:
    """Make `open_runtime` use LangGraph's stock saver (for before/after figures)."""
    saved = runtime.open_checkpointer
    runtime.open_checkpointer = _stock_checkpointer
    try:
        yield
    finally:
        runtime.open_checkpointer = saved
