"""Proposed changes to files this bench does not own, patched in for measurement only.

`python -m bench overhead` (variant `bacowr_job_proposed`) and `python -m bench throughput
--proposed` run with these patches in their own process, so RESULTS.md can state what each
proposal buys before anyone edits services/execution.py or storage/pool.py. Nothing here is
used by bacowr itself. The diffs are in bench/RESULTS.md ("Proposed changes").

1. storage/pool.py: asyncpg's pool runs `Connection.reset()` (`SELECT
   pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) on every release, one extra
   round trip per repository call. bacowr's repositories keep no session state, so a reset
   that only rolls back a connection left inside a transaction is enough.
2. services/execution.py (+ one repository method each in jobs/events): a node's entry
   (`enter_node` + the `entered` event) and its exit (the `left` event + `record_progress` +
   the one-off `reset_attempts`) become one statement each: 2 writes per node instead of 4.
3. Those two mirror writes go through a small second asyncpg pool whose sessions commit with
   `synchronous_commit = off` (the ledger mirrors the checkpoint, which is what a resume reads;
   re-recording after a crash is idempotent). Claims, leases and the article commit keep the
   durable pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import asyncpg

import services.execution as execution
import services.runtime as runtime
from schemas.state import TokenUsage
from storage._urls import normalize_url
from storage.pool import _init_connection

__all__ = ["open_mirror_pool", "proposed"]

_ENTER_SQL = """
WITH j AS (UPDATE jobs SET current_node = $2, updated_at = now() WHERE id = $1 RETURNING id)
INSERT INTO job_events (job_id, node, event) SELECT id, $2, 'entered' FROM j RETURNING id
"""
_LEAVE_SQL = """
WITH e AS (
    INSERT INTO job_events (job_id, node, event, duration_ms, detail)
    VALUES ($1, $2, $3, $4, $5) RETURNING id
)
UPDATE jobs SET
    iteration = coalesce($6, iteration),
    qc_score = coalesce($7, qc_score),
    tokens_in = coalesce($8, tokens_in),
    tokens_out = coalesce($9, tokens_out),
    cost_usd = coalesce($10, cost_usd),
    prompt_hashes = prompt_hashes || coalesce($11::jsonb, '{}'::jsonb),
    attempts = CASE WHEN $12 AND attempts > 1 THEN 1 ELSE attempts END,
    updated_at = now()
WHERE id = $1 AND EXISTS (SELECT 1 FROM e)
RETURNING id
"""


async def _reset_if_in_transaction(conn: asyncpg.Connection) -> None:
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def _create_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, durable: bool = True
) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        normalize_url(url),
        min_size=min_size,
        max_size=max_size,
        command_timeout=60.0,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        reset=_reset_if_in_transaction,
        server_settings={} if durable else {"synchronous_commit": "off"},
    )
    assert pool is not None
    return pool


async def open_mirror_pool(url: str, max_size: int = 4) -> asyncpg.Pool:
    """Return the proposed non-durable pool for progress mirroring (caller closes it)."""
    return await _create_pool(url, max_size=max_size, durable=False)


def _mirror(rt: Any) -> asyncpg.Pool:
    return getattr(rt, "mirror_pool", None) or rt.pool


class _LeanProgress(execution._Progress):
    async def entered(self, task_id: str, node: str) -> None:
        self.started[task_id] = execution.time.monotonic()
        await _mirror(self.rt).fetchval(_ENTER_SQL, self.job_id, node)

    async def left(self, task_id: str, node: str, error: Any, result: Any) -> None:
        now = execution.time.monotonic()
        elapsed = int((now - self.started.pop(task_id, now)) * 1000)
        detail = {"error": str(error)[:500]} if error else None
        first_progress = not error and not self.progressed
        self.progressed = self.progressed or first_progress
        values: dict[str, Any] = {}
        if isinstance(result, dict):
            for key, item in (result.get("usage") or {}).items():
                self.usage[key] = self.usage.get(key, TokenUsage()) + TokenUsage.model_validate(
                    item
                )
            total = execution._totals(self.usage)
            qc = result.get("qc")
            values = {
                "iteration": result.get("iteration"),
                "qc": getattr(qc, "overall", None),
                "in": total.input_tokens,
                "out": total.output_tokens,
                "cost": Decimal(str(total.cost_usd)),
                "hashes": result.get("prompt_hashes") or None,
            }
        await _mirror(self.rt).fetchval(
            _LEAVE_SQL,
            self.job_id,
            node,
            "error" if error else "left",
            elapsed,
            detail,
            values.get("iteration"),
            values.get("qc"),
            values.get("in"),
            values.get("out"),
            values.get("cost"),
            values.get("hashes"),
            first_progress,
        )


@contextmanager
def proposed() -> Iterator[None]:
    """Patch both proposals into this process for the duration of the block."""
    saved = (runtime.create_pool, execution._Progress)
    runtime.create_pool = _create_pool  # type: ignore[assignment]
    execution._Progress = _LeanProgress  # type: ignore[misc]
    try:
        yield
    finally:
        runtime.create_pool, execution._Progress = saved  # type: ignore[misc]
