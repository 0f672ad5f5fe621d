"""Typed rows the repositories return (the SQL stays in the repositories)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from schemas.article import ArticleDraft, LinksExtension
from schemas.enums import Outcome
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.qc import QCReport
from schemas.state import JobFailure

__all__ = [
    "TERMINAL_STATUSES",
    "ArticleVersion",
    "Batch",
    "BatchStatus",
    "ErrorLogEntry",
    "EventKind",
    "FinalArticle",
    "Job",
    "JobEvent",
    "JobInput",
    "JobStatus",
]


class JobStatus(StrEnum):
    """Where a job is; the four outcomes double as terminal statuses."""

    queued = "queued"
    running = "running"
    passed = "passed"
    needs_review = "needs_review"
    refused = "refused"
    failed = "failed"
    cancelled = "cancelled"


TERMINAL_STATUSES = frozenset(
    {
        JobStatus.passed,
        JobStatus.needs_review,
        JobStatus.refused,
        JobStatus.failed,
        JobStatus.cancelled,
    }
)


class BatchStatus(StrEnum):
    queued = "queued"
    running = "running"
    finished = "finished"
    cancelled = "cancelled"


class EventKind(StrEnum):
    """Common job event names; the column is free text so new kinds need no migration."""

    claimed = "claimed"
    entered = "entered"
    left = "left"
    retry = "retry"
    error = "error"
    interrupted = "interrupted"
    resumed = "resumed"
    finished = "finished"


class _Row(BaseModel):
    # Rows may grow columns in later migrations; older code should still read them.
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls.model_validate(dict(row))


class JobInput(BaseModel):
    """What a job was asked to do: the three inputs and the generation constraints."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_minimal: InputMinimal
    generation_constraints: GenerationConstraints = Field(default_factory=GenerationConstraints)


class Job(_Row):
    id: str
    idempotency_key: str | None
    batch_id: str | None
    input: JobInput
    status: JobStatus
    current_node: str | None
    iteration: int
    qc_score: float | None
    outcome: Outcome | None
    outcome_reasons: list[str]
    error: JobFailure | None
    prompt_hashes: dict[str, str]
    tokens_in: int
    tokens_out: int
    cost_usd: float
    attempts: int
    priority: int
    lease_owner: str | None
    lease_expires_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class Batch(_Row):
    id: str
    name: str
    source: str | None
    status: BatchStatus
    concurrency: int
    counts: dict[str, int]
    created_at: datetime
    finished_at: datetime | None


class JobEvent(_Row):
    id: int
    job_id: str
    node: str | None
    event: str
    at: datetime
    duration_ms: int | None
    detail: dict[str, Any] | None


class ErrorLogEntry(_Row):
    id: int
    batch_id: str | None
    job_id: str | None
    row_number: int | None
    kind: str
    reason: str
    raw: Any
    created_at: datetime


class ArticleVersion(_Row):
    """One stored draft with its QC report, if it was scored."""

    job_id: str
    iteration: int
    markdown: str
    links_extension: LinksExtension
    qc_report: QCReport | None
    qc_score: float | None
    created_at: datetime

    def to_draft(self) -> ArticleDraft:
        return ArticleDraft(
            job_id=self.job_id,
            iteration=self.iteration,
            markdown=self.markdown,
            links_extension=self.links_extension,
        )


class FinalArticle(_Row):
    """A job's one final article (only `passed` and `needs_review` jobs have one)."""

    job_id: str
    version: int
    markdown: str
    links_extension: LinksExtension
    qc_report: QCReport | None
    outcome: Outcome
    created_at: datetime
