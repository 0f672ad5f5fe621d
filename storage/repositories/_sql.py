"""SQL fragments shared by the repositories."""

from __future__ import annotations

from storage.records import TERMINAL_STATUSES, JobStatus

# "('queued', 'running')": statuses a job can still leave.
ACTIVE_STATUSES_SQL = (
    "(" + ", ".join(f"'{s.value}'" for s in JobStatus if s not in TERMINAL_STATUSES) + ")"
)
