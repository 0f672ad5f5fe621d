"""What an operator needs to see inside one job: its graph position, checkpoints and health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from langchain_core.runnables import RunnableConfig

from schemas.enums import Role
from schemas.errors import PromptError
from schemas.state import JobFailure
from services.runtime import AppRuntime
from storage.records import Job, JobEvent

__all__ = ["CheckpointEntry", "JobDebug", "PromptVersion", "job_debug", "job_history", "timeline"]

PAGE = 1000


@dataclass(frozen=True)
class PromptVersion:
    role: str
    used: str | None
    current: str | None

    @property
    def changed(self) -> bool:
        return self.used is not None and self.used != self.current


@dataclass(frozen=True)
class JobDebug:
    job: Job
    current_node: str | None
    next_nodes: list[str]
    waiting_for_review: bool
    node_entered_at: datetime | None
    seconds_in_node: float | None
    iteration: int
    qc_overall: float | None
    qc_status: str | None
    last_error: JobFailure | None
    attempts: int
    error_events: int
    checkpoint_id: str | None
    checkpoint_at: str | None
    prompts: list[PromptVersion]
    cache_hits: list[str]
    breakers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckpointEntry:
    checkpoint_id: str | None
    created_at: str | None
    step: int | None
    source: str | None
    next_nodes: list[str]
    summary: dict[str, Any]


def _config(job_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": job_id}}


async def timeline(rt: AppRuntime, job_id: str) -> list[JobEvent]:
    """Return every event of the job, oldest first."""
    events: list[JobEvent] = []
    while True:
        after = events[-1].id if events else 0
        page = await rt.events.timeline(job_id, after_id=after, limit=PAGE)
        events.extend(page)
        if len(page) < PAGE:
            return events


def _prompt_versions(rt: AppRuntime, job: Job) -> list[PromptVersion]:
    versions = []
    for role in Role:
        current: str | None
        try:
            current = rt.prompts.read(role)[1]
        except PromptError:
            current = None
        versions.append(PromptVersion(role.value, job.prompt_hashes.get(role.value), current))
    return versions


async def job_debug(rt: AppRuntime, job_id: str) -> JobDebug:
    """Return the job's node, checkpoint, QC, errors, prompt versions and breaker states.

    Raises:
        JobNotFoundError: no such job.
    """
    job = await rt.jobs.get(job_id)
    snapshot = await rt.graph.aget_state(_config(job_id))
    values: dict[str, Any] = dict(snapshot.values or {})
    events = await timeline(rt, job_id)
    entered = next((e for e in reversed(events) if e.event == "entered"), None)
    in_node = None
    if entered is not None and not job.is_terminal:
        in_node = (datetime.now(UTC) - entered.at).total_seconds()
    qc = values.get("qc")
    configurable = (snapshot.config or {}).get("configurable", {})
    return JobDebug(
        job=job,
        current_node=job.current_node,
        next_nodes=list(snapshot.next),
        waiting_for_review=any(task.interrupts for task in snapshot.tasks),
        node_entered_at=entered.at if entered is not None else None,
        seconds_in_node=round(in_node, 3) if in_node is not None else None,
        iteration=int(values.get("iteration", job.iteration)),
        qc_overall=getattr(qc, "overall", None),
        qc_status=str(getattr(qc, "status", "")) or None,
        last_error=job.error,
        attempts=job.attempts,
        error_events=sum(1 for e in events if e.event == "error"),
        checkpoint_id=configurable.get("checkpoint_id"),
        checkpoint_at=snapshot.created_at,
        prompts=_prompt_versions(rt, job),
        cache_hits=list(values.get("cache_hits") or []),
        breakers=await rt.guards.states(),
    )


def _summary(values: dict[str, Any]) -> dict[str, Any]:
    qc = values.get("qc")
    outcome = values.get("outcome")
    failure = values.get("failure")
    summary = {
        "iteration": values.get("iteration"),
        "research_attempts": values.get("research_attempts"),
        "draft_version": values.get("draft_version"),
        "qc_overall": getattr(qc, "overall", None),
        "outcome": str(outcome) if outcome is not None else None,
        "failure": getattr(failure, "kind", None),
    }
    return {k: v for k, v in summary.items() if v is not None}


async def job_history(rt: AppRuntime, job_id: str, *, limit: int = 100) -> list[CheckpointEntry]:
    """Return the job's checkpoints, newest first, each with a compact state summary.

    Raises:
        JobNotFoundError: no such job.
    """
    await rt.jobs.get(job_id)
    entries = []
    async for snap in rt.graph.aget_state_history(_config(job_id), limit=limit):
        metadata = snap.metadata or {}
        entries.append(
            CheckpointEntry(
                checkpoint_id=(snap.config or {}).get("configurable", {}).get("checkpoint_id"),
                created_at=snap.created_at,
                step=metadata.get("step"),
                source=metadata.get("source"),
                next_nodes=list(snap.next),
                summary=_summary(dict(snap.values or {})),
            )
        )
    return entries
