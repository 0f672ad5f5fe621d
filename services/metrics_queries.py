"""Aggregates over the ledger for /metrics, computed at scrape time.

This is repository code (all its SQL reads the bacowr tables) kept here until it moves to
`storage/repositories/metrics.py`; it takes the runtime's asyncpg pool like the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HistogramData", "LedgerStats", "MetricsRepository"]


@dataclass(frozen=True)
class HistogramData:
    """Cumulative bucket counts (per upper bound), the count and the sum of one series."""

    buckets: list[tuple[float, int]]
    count: int
    total: float


@dataclass(frozen=True)
class LedgerStats:
    jobs_by_status: dict[str, int] = field(default_factory=dict)
    node_seconds: dict[str, HistogramData] = field(default_factory=dict)
    qc_scores: HistogramData | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    node_errors: dict[str, int] = field(default_factory=dict)


class MetricsRepository:
    """Read-only aggregate queries over jobs and job_events."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    async def stats(
        self, node_buckets_s: Sequence[float], qc_buckets: Sequence[float]
    ) -> LedgerStats:
        """Return the ledger's counts, node duration and QC score histograms, usage totals."""
        status_rows = await self._pool.fetch(
            "SELECT status, count(*) AS n FROM jobs GROUP BY status"
        )
        totals = await self._pool.fetchrow(
            "SELECT coalesce(sum(tokens_in), 0) AS tin, coalesce(sum(tokens_out), 0) AS tout,"
            " coalesce(sum(cost_usd), 0) AS cost FROM jobs"
        )
        node_rows = await self._pool.fetch(
            """
            SELECT node, b.bound, count(*) FILTER (WHERE e.duration_ms <= b.bound * 1000) AS le,
                   count(*) AS n, sum(e.duration_ms) / 1000.0 AS total
            FROM job_events AS e, unnest($1::float8[]) AS b(bound)
            WHERE e.event = 'left' AND e.node IS NOT NULL AND e.duration_ms IS NOT NULL
            GROUP BY node, b.bound ORDER BY node, b.bound
            """,
            list(node_buckets_s),
        )
        qc_rows = await self._pool.fetch(
            """
            SELECT b.bound, count(*) FILTER (WHERE j.qc_score <= b.bound) AS le,
                   count(*) AS n, coalesce(sum(j.qc_score), 0) AS total
            FROM jobs AS j, unnest($1::float8[]) AS b(bound)
            WHERE j.qc_score IS NOT NULL AND j.finished_at IS NOT NULL
            GROUP BY b.bound ORDER BY b.bound
            """,
            list(qc_buckets),
        )
        error_rows = await self._pool.fetch(
            "SELECT node, count(*) AS n FROM job_events WHERE event = 'error' AND node IS NOT NULL"
            " GROUP BY node"
        )
        return LedgerStats(
            jobs_by_status={row["status"]: int(row["n"]) for row in status_rows},
            node_seconds=_histograms(node_rows),
            qc_scores=_histograms([{**dict(r), "node": ""} for r in qc_rows]).get(""),
            tokens_in=int(totals["tin"]),
            tokens_out=int(totals["tout"]),
            cost_usd=float(totals["cost"]),
            node_errors={row["node"]: int(row["n"]) for row in error_rows},
        )


def _histograms(rows: Sequence[Any]) -> dict[str, HistogramData]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row["node"], []).append(row)
    return {
        name: HistogramData(
            buckets=[(float(r["bound"]), int(r["le"])) for r in series],
            count=int(series[0]["n"]),
            total=float(series[0]["total"] or 0),
        )
        for name, series in grouped.items()
    }
