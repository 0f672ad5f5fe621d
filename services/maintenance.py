"""Housekeeping: prune finished jobs' checkpoints, measure what checkpoints cost."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from services.runtime import AppRuntime
from storage.repositories.checkpoints import CheckpointRepository, CheckpointStats, PruneResult

__all__ = ["checkpoint_stats", "prune_checkpoints"]


async def prune_checkpoints(
    rt: AppRuntime,
    *,
    older_than_days: float | None = None,
    keep: Literal["last", "none"] | None = None,
) -> PruneResult:
    """Prune per the settings (or the given retention and keep policy)."""
    settings = rt.settings
    days = settings.checkpoint_retention_days if older_than_days is None else older_than_days
    return await CheckpointRepository(rt.pool).prune(
        older_than=timedelta(days=days), keep=keep or settings.checkpoint_keep
    )


async def checkpoint_stats(
    rt: AppRuntime, statuses: tuple[str, ...] = ("passed",)
) -> CheckpointStats:
    """Return checkpoint rows and bytes per job over jobs with these statuses."""
    return await CheckpointRepository(rt.pool).stats(statuses=statuses)
