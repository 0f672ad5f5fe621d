"""The asyncpg pool the repositories share; json/jsonb round-trip as Python objects."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from storage._urls import normalize_url

__all__ = ["Pool", "create_pool"]

Pool = asyncpg.Pool


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=_dumps, decoder=json.loads, schema="pg_catalog", format="text"
        )


async def _reset_connection(conn: asyncpg.Connection) -> None:
    # asyncpg's default reset (RESET ALL, UNLISTEN, ...) costs a round trip on every release;
    # bacowr keeps no session state, so only an open transaction needs undoing.
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def create_pool(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    command_timeout: float | None = 60.0,
    max_inactive_connection_lifetime: float = 300.0,
) -> asyncpg.Pool:
    """Open an asyncpg pool on `url`; the caller closes it (`await pool.close()`)."""
    pool = await asyncpg.create_pool(
        normalize_url(url),
        min_size=min_size,
        max_size=max_size,
        command_timeout=command_timeout,
        max_inactive_connection_lifetime=max_inactive_connection_lifetime,
        init=_init_connection,
        reset=_reset_connection,
    )
    assert pool is not None  # only None when awaited without a running pool
    return pool
