"""A Postgres checkpoint saver that uses its connection pool concurrently.

LangGraph's `AsyncPostgresSaver` runs every operation under one instance-wide `asyncio.Lock`
(langgraph issue 7259), even on a pool: with many jobs in flight, all their checkpoint writes
queue behind each other, one round trip at a time. It also hands every (small) serialisation
to a worker thread, which costs two thread switches per operation and gains nothing, since
serialisation holds the GIL.

`PooledPostgresSaver` takes a pooled connection per operation instead (each operation is
one pipeline, one transaction, on a connection nobody else uses meanwhile), and serialises
on the event loop. The SQL, the table layout and the serialisation are the base class's, so
its checkpoints are the stock saver's. On a single connection (not a pool) it falls back to
the base class's locking, which that case needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    get_serializable_checkpoint_metadata,
)
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.types import _DeltaSnapshot
from psycopg import AsyncCursor
from psycopg.rows import DictRow, dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

__all__ = ["PooledPostgresSaver"]

_PRIMITIVES = (str, int, float, bool)


class PooledPostgresSaver(AsyncPostgresSaver):
    """`AsyncPostgresSaver` with per-operation pooled connections and no instance lock."""

    @property
    def _pooled(self) -> bool:
        return isinstance(self.conn, AsyncConnectionPool) and self.pipe is None

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[AsyncCursor[DictRow]]:
        if not self._pooled:
            async with super()._cursor(pipeline=pipeline) as cur:
                yield cur
            return
        pool: AsyncConnectionPool[Any] = self.conn  # type: ignore[assignment]
        async with pool.connection() as conn:
            if pipeline and self.supports_pipeline:
                async with conn.pipeline(), conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur
            elif pipeline:
                async with (
                    conn.transaction(),
                    conn.cursor(binary=True, row_factory=dict_row) as cur,
                ):
                    yield cur
            else:
                async with conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a checkpoint: primitives inline, other channel values as blobs, one pipeline."""
        if not self._pooled:
            return await super().aput(config, checkpoint, metadata, new_versions)
        configurable = dict(config["configurable"])
        thread_id = configurable.pop("thread_id")
        checkpoint_ns = configurable.pop("checkpoint_ns")
        parent_id = configurable.pop("checkpoint_id", None)
        inline = dict(checkpoint)
        channel_values = dict(checkpoint["channel_values"])
        blobs: dict[str, Any] = {}
        for name, value in checkpoint["channel_values"].items():
            if isinstance(value, _DeltaSnapshot):
                blobs[name] = channel_values.pop(name)
                channel_values[name] = True  # the marker the base class's reader expects
            elif value is not None and not isinstance(value, _PRIMITIVES):
                blobs[name] = channel_values.pop(name)
        inline["channel_values"] = channel_values
        blob_versions = {k: v for k, v in new_versions.items() if k in blobs}
        rows = self._dump_blobs(thread_id, checkpoint_ns, blobs, blob_versions)
        async with self._cursor(pipeline=True) as cur:
            if rows:
                await cur.executemany(self.UPSERT_CHECKPOINT_BLOBS_SQL, rows)
            await cur.execute(
                self.UPSERT_CHECKPOINTS_SQL,
                (
                    thread_id,
                    checkpoint_ns,
                    checkpoint["id"],
                    parent_id,
                    Jsonb(inline),
                    Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
                ),
            )
        return {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": checkpoint_ns,
                "checkpoint_id": checkpoint["id"],
            }
        }

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes against a checkpoint in one pipeline."""
        if not self._pooled:
            await super().aput_writes(config, writes, task_id, task_path)
            return
        special = all(channel in WRITES_IDX_MAP for channel, _ in writes)
        query = self.UPSERT_CHECKPOINT_WRITES_SQL if special else self.INSERT_CHECKPOINT_WRITES_SQL
        configurable = config["configurable"]
        rows = self._dump_writes(
            configurable["thread_id"],
            configurable["checkpoint_ns"],
            configurable["checkpoint_id"],
            task_id,
            task_path,
            writes,
        )
        async with self._cursor(pipeline=True) as cur:
            await cur.executemany(query, rows)
