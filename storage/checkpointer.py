"""The LangGraph Postgres checkpointer on a psycopg pool.

The checkpointer owns its tables (`checkpoints`, `checkpoint_blobs`, `checkpoint_writes`,
`checkpoint_migrations`): its own `setup()` creates and migrates them; alembic leaves them alone.

The saver is `PooledPostgresSaver` (storage/_saver.py): LangGraph's saver with its pool used
concurrently instead of behind one lock, and the pool's connection check is a socket poll
rather than a round trip (storage/_saver_pool.py); see bench/RESULTS.md for what each buys.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from storage._saver import PooledPostgresSaver
from storage._saver_pool import SocketCheck
from storage._urls import normalize_url

__all__ = ["open_checkpointer"]

# Serialises setup() across processes: concurrent first runs would race on its migrations table.
_SETUP_LOCK_KEY = 0x6261636F7772  # "bacowr"
_SETUP_POLL_S = 0.1


@asynccontextmanager
async def open_checkpointer(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    max_idle: float = 300.0,
    max_lifetime: float = 1800.0,
    pool_timeout: float = 30.0,
    serde: SerializerProtocol | None = None,
    durable: bool = False,
) -> AsyncIterator[AsyncPostgresSaver]:
    """Yield a `PooledPostgresSaver` on its own connection pool, with its tables set up.

    Pooled connections are checked before use (a socket poll; a round trip when the socket
    shows the server hung up, or after 30 s idle) and recycled after `max_idle` /
    `max_lifetime` seconds, so connections dropped by a server restart or a proxy are replaced.
    Pass the app's checkpoint serializer as `serde` (graphs/serde.py); None means LangGraph's
    default.

    Checkpoints commit with `synchronous_commit = off` unless `durable=True`: a commit returns
    before its WAL reaches disk, which is what a step waits for most (bench/RESULTS.md). What
    that risks: a crash of the database server itself (not of bacowr) loses the checkpoints of
    the last ~0.6 s (3 x wal_writer_delay). The WAL stays ordered, and every durable commit
    (the article commit, the ledger) flushes all WAL before it, so the database keeps a
    consistent prefix: the affected jobs resume one node earlier, as after a bacowr crash
    just before that checkpoint, and the node re-run is idempotent (article versions upsert,
    the final commit happens once).
    """
    conninfo = normalize_url(url)
    checker = SocketCheck()

    async def configure(conn: AsyncConnection[DictRow]) -> None:
        if not durable:
            await conn.execute("SET synchronous_commit = off")

    pool: AsyncConnectionPool[AsyncConnection[DictRow]] = AsyncConnectionPool(
        conninfo,
        connection_class=AsyncConnection[DictRow],
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        min_size=min_size,
        max_size=max_size,
        max_idle=max_idle,
        max_lifetime=max_lifetime,
        timeout=pool_timeout,
        check=checker.check,
        reset=checker.reset,
        configure=configure,
        name="bacowr-checkpointer",
        open=False,
    )
    async with pool:
        saver = PooledPostgresSaver(conn=pool, serde=serde)
        await _setup_once(saver, conninfo)
        yield saver


async def _setup_once(saver: AsyncPostgresSaver, conninfo: str) -> None:
    """Run setup() under a cross-process advisory lock held on a connection of its own.

    Waiters poll with pg_try_advisory_lock instead of blocking in pg_advisory_lock: setup()
    runs CREATE INDEX CONCURRENTLY, which waits for every open statement in the database,
    including a blocked lock wait, and that deadlock is invisible to the server.
    """
    async with await AsyncConnection.connect(conninfo, autocommit=True) as lock_conn:
        while True:
            cursor = await lock_conn.execute("SELECT pg_try_advisory_lock(%s)", (_SETUP_LOCK_KEY,))
            row = await cursor.fetchone()
            if row is not None and row[0]:
                break
            await asyncio.sleep(_SETUP_POLL_S)
        try:
            await saver.setup()
        finally:
            await lock_conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK_KEY,))
