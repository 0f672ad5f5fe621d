"""Bodies of a job's inside views: debug, checkpoint history, events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, Field

from api.models.jobs import ErrorInfo
from services.api_debug import CheckpointEntry, JobDebug
from storage.records import JobEvent

__all__ = ["CheckpointOut", "EventOut", "JobDebugOut", "PromptVersionOut"]


class PromptVersionOut(BaseModel):
    role: str = Field(description="LLM role.", examples=["writer"])
    used: str | None = Field(description="Hash of the prompt the job ran with.")
    current: str | None = Field(description="Hash of the prompt file now.")
    changed: bool = Field(description="The file changed since the job used it.")


class JobDebugOut(BaseModel):
    """Where a job is in its graph and what it has been through."""

    job_id: str = Field(description="The job.", examples=["job_3f9c2a7b1e4d5c6a8b9f"])
    status: str = Field(description="Its status.", examples=["running"])
    current_node: str | None = Field(description="The node it is in.", examples=["qc_review"])
    next_nodes: list[str] = Field(
        description="What the checkpoint runs next.", examples=[["revise"]]
    )
    waiting_for_review: bool = Field(description="Paused for a human decision.")
    node_entered_at: datetime | None = Field(description="When it entered its last node.")
    seconds_in_node: float | None = Field(description="Time in the node so far (running jobs).")
    iteration: int = Field(description="Writer/reviser passes.", examples=[2])
    qc_overall: float | None = Field(description="Last QC score.", examples=[74.0])
    qc_status: str | None = Field(description="Last QC status.", examples=["WARNING"])
    last_error: ErrorInfo | None = Field(description="The last recorded error.")
    attempts: int = Field(description="Runs without progress (the retry count).", examples=[1])
    error_events: int = Field(description="Node errors in the timeline.", examples=[0])
    checkpoint_id: str | None = Field(description="The latest checkpoint.")
    checkpoint_at: str | None = Field(description="When it was written (ISO 8601).")
    prompts: list[PromptVersionOut] = Field(description="Prompt versions used vs current.")
    cache_hits: list[str] = Field(description="Research served from the cache.")
    breakers: dict[str, str] = Field(
        description="Circuit breaker state per model endpoint.", examples=[{"writer": "closed"}]
    )

    @classmethod
    def from_debug(cls, debug: JobDebug) -> Self:
        job = debug.job
        return cls(
            job_id=job.id,
            status=job.status.value,
            current_node=debug.current_node,
            next_nodes=debug.next_nodes,
            waiting_for_review=debug.waiting_for_review,
            node_entered_at=debug.node_entered_at,
            seconds_in_node=debug.seconds_in_node,
            iteration=debug.iteration,
            qc_overall=debug.qc_overall,
            qc_status=debug.qc_status,
            last_error=ErrorInfo.model_validate(job.error.model_dump()) if job.error else None,
            attempts=debug.attempts,
            error_events=debug.error_events,
            checkpoint_id=debug.checkpoint_id,
            checkpoint_at=debug.checkpoint_at,
            prompts=[
                PromptVersionOut(role=p.role, used=p.used, current=p.current, changed=p.changed)
                for p in debug.prompts
            ],
            cache_hits=debug.cache_hits,
            breakers=debug.breakers,
        )


class CheckpointOut(BaseModel):
    """One checkpoint of the job's thread."""

    checkpoint_id: str | None = Field(description="Checkpoint id.")
    created_at: str | None = Field(description="When it was written (ISO 8601).")
    step: int | None = Field(description="Graph step.", examples=[3])
    source: str | None = Field(description="input, loop or update.", examples=["loop"])
    next_nodes: list[str] = Field(description="Nodes due after it.", examples=[["qc_review"]])
    summary: dict[str, Any] = Field(
        description="Iteration, QC score, draft version, outcome at that point.",
        examples=[{"iteration": 1, "qc_overall": 86.5, "draft_version": 1}],
    )

    @classmethod
    def from_entry(cls, entry: CheckpointEntry) -> Self:
        return cls(**vars(entry))


class EventOut(BaseModel):
    """One entry of a job's timeline (also the data of its server-sent events)."""

    id: int = Field(description="Event id (increasing).", examples=[42])
    event: str = Field(description="entered, left, error, interrupted, finished, ...")
    node: str | None = Field(description="The node.", examples=["write"])
    at: datetime = Field(description="When.")
    duration_ms: int | None = Field(description="Time in the node (left/error events).")
    detail: dict[str, Any] | None = Field(description="Extra data (errors, outcome).")

    @classmethod
    def from_event(cls, event: JobEvent) -> Self:
        return cls.model_validate(event.model_dump(exclude={"job_id"}))
