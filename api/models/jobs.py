"""Job bodies: the submission, and a job's status with its QC breakdown."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from schemas._types import Domain, HttpUrlStr
from schemas.job_package import GenerationConstraints
from schemas.qc import QCReport
from services.api_jobs import JobView
from storage.records import Job

__all__ = ["CriterionOut", "JobCreate", "JobOut", "JobSubmitted", "QCOut", "UsageOut"]

_JOB_ID = "job_3f9c2a7b1e4d5c6a8b9f"


class JobCreate(BaseModel):
    """One article to write: where it is published, what it links to, with which anchor."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "publisher_domain": "villaliv.se",
                    "target_url": "https://www.laddhemma.se/laddbox-villa",
                    "anchor_text": "laddbox till villan",
                    "generation_constraints": {"language": "sv", "min_word_count": 900},
                    "priority": 0,
                }
            ]
        },
    )

    publisher_domain: Domain = Field(
        description="The site the article is published on (a bare domain).",
        examples=["villaliv.se"],
    )
    target_url: HttpUrlStr = Field(
        description="The customer's page the one paid link points to.",
        examples=["https://www.laddhemma.se/laddbox-villa"],
    )
    anchor_text: str = Field(
        min_length=1,
        max_length=200,
        description="The link's anchor text, used verbatim.",
        examples=["laddbox till villan"],
    )
    generation_constraints: GenerationConstraints | None = Field(
        default=None,
        description="Language, length, anchor usage, tone and vertical; defaults when omitted.",
    )
    priority: int = Field(
        default=0,
        ge=-1000,
        le=1000,
        description="Higher runs first; equal priorities run oldest first.",
        examples=[0],
    )


class JobSubmitted(BaseModel):
    """The job a submission created, or the one an earlier identical submission created."""

    id: str = Field(description="The job's id (also its graph thread id).", examples=[_JOB_ID])
    status: str = Field(description="The job's status now.", examples=["queued"])
    created: bool = Field(description="False when an earlier request already made this job.")
    url: str = Field(description="Where to follow the job.", examples=[f"/api/v1/jobs/{_JOB_ID}"])


class CriterionOut(BaseModel):
    criterion: str = Field(description="Next-A1 criterion.", examples=["ANCHOR"])
    score: float = Field(description="0-100.", examples=[92.0])
    weight: float = Field(description="Weight in the overall score.", examples=[0.15])
    status: str = Field(description="PASS, WARNING or BLOCKED.", examples=["PASS"])
    findings: list[str] = Field(description="What QC found.", examples=[["anchor used once"]])
    fix: str | None = Field(description="The reviser's instruction, if any.", examples=[None])
    decided_by: str = Field(description="rules, llm or rules+llm.", examples=["rules"])


class QCOut(BaseModel):
    overall: float = Field(description="Weighted QC score, 0-100 (80 passes).", examples=[86.5])
    status: str = Field(description="PASS, WARNING or BLOCKED.", examples=["PASS"])
    criteria: list[CriterionOut] = Field(description="The eight criteria.")
    human_review_required: bool = Field(description="QC asks for a person to look.")
    human_review_reasons: list[str] = Field(description="Why.", examples=[[]])

    @classmethod
    def from_report(cls, report: QCReport) -> Self:
        return cls(
            overall=report.overall,
            status=report.status.value,
            criteria=[
                CriterionOut.model_validate(c.model_dump(mode="json")) for c in report.criteria
            ],
            human_review_required=report.human_review.required,
            human_review_reasons=report.human_review.reasons,
        )


class UsageOut(BaseModel):
    tokens_in: int = Field(description="Prompt tokens, all calls.", examples=[5400])
    tokens_out: int = Field(description="Completion tokens, all calls.", examples=[2100])
    cost_usd: float = Field(description="Cost from the configured prices.", examples=[0.0021])


class TimingsOut(BaseModel):
    created_at: datetime = Field(description="Submitted.")
    started_at: datetime | None = Field(description="First claimed by a worker.")
    updated_at: datetime = Field(description="Last change.")
    finished_at: datetime | None = Field(description="Ended (terminal status).")
    duration_s: float | None = Field(description="started_at to finished_at.", examples=[41.2])


class ErrorInfo(BaseModel):
    kind: str = Field(description="Error kind.", examples=["llm_unavailable"])
    message: str = Field(description="What failed.", examples=["every model of the chain failed"])
    node: str | None = Field(default=None, description="The node it failed in.")


class JobOut(BaseModel):
    """A job's status, outcome, QC breakdown, usage and timings."""

    id: str = Field(description="The job's id.", examples=[_JOB_ID])
    batch_id: str | None = Field(description="Its batch, if it came in one.", examples=[None])
    status: str = Field(
        description="queued, running, passed, needs_review, refused, failed or cancelled.",
        examples=["passed"],
    )
    outcome: str | None = Field(description="The typed outcome once it ended.", examples=["passed"])
    outcome_reasons: list[str] = Field(description="Why it ended so.", examples=[[]])
    current_node: str | None = Field(description="The graph node it is (or was last) in.")
    iteration: int = Field(description="Writer/reviser passes so far.", examples=[1])
    attempts: int = Field(description="Runs that made no progress (retries).", examples=[1])
    priority: int = Field(description="Queue priority.", examples=[0])
    publisher_domain: str = Field(description="Input: publisher.", examples=["villaliv.se"])
    target_url: str = Field(description="Input: target URL.")
    anchor_text: str = Field(description="Input: anchor text.", examples=["laddbox till villan"])
    generation_constraints: GenerationConstraints = Field(description="Input: constraints.")
    qc: QCOut | None = Field(description="The final article's QC, else the latest draft's.")
    has_article: bool = Field(description="A final article exists (GET .../article).")
    error: ErrorInfo | None = Field(description="The last error, if any.")
    usage: UsageOut = Field(description="Tokens and cost so far.")
    timings: TimingsOut = Field(description="When it was submitted, started and ended.")

    @classmethod
    def from_view(cls, view: JobView) -> Self:
        job = view.job
        return cls(
            **_summary(job),
            qc=QCOut.from_report(view.qc) if view.qc is not None else None,
            has_article=view.article is not None,
        )


def _summary(job: Job) -> dict[str, object]:
    minimal = job.input.input_minimal
    duration = None
    if job.started_at is not None and job.finished_at is not None:
        duration = round((job.finished_at - job.started_at).total_seconds(), 3)
    return {
        "id": job.id,
        "batch_id": job.batch_id,
        "status": job.status.value,
        "outcome": job.outcome.value if job.outcome is not None else None,
        "outcome_reasons": job.outcome_reasons,
        "current_node": job.current_node,
        "iteration": job.iteration,
        "attempts": job.attempts,
        "priority": job.priority,
        "publisher_domain": minimal.publisher_domain,
        "target_url": minimal.target_url,
        "anchor_text": minimal.anchor_text,
        "generation_constraints": job.input.generation_constraints,
        "error": ErrorInfo.model_validate(job.error.model_dump()) if job.error else None,
        "usage": UsageOut(
            tokens_in=job.tokens_in, tokens_out=job.tokens_out, cost_usd=job.cost_usd
        ),
        "timings": TimingsOut(
            created_at=job.created_at,
            started_at=job.started_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
            duration_s=duration,
        ),
    }


class JobListItem(BaseModel):
    """A job in a list: what it is, where it is, its QC score."""

    id: str = Field(description="The job's id.", examples=[_JOB_ID])
    status: str = Field(description="Its status.", examples=["running"])
    current_node: str | None = Field(description="Its node.", examples=["write"])
    qc_score: float | None = Field(description="Latest QC score.", examples=[86.5])
    iteration: int = Field(description="Passes so far.", examples=[1])
    publisher_domain: str = Field(description="Publisher.", examples=["villaliv.se"])
    anchor_text: str = Field(description="Anchor.", examples=["laddbox till villan"])
    outcome_reasons: list[str] = Field(description="Why it ended so.", examples=[[]])

    @classmethod
    def from_job(cls, job: Job) -> Self:
        return cls(
            id=job.id,
            status=job.status.value,
            current_node=job.current_node,
            qc_score=job.qc_score,
            iteration=job.iteration,
            publisher_domain=job.input.input_minimal.publisher_domain,
            anchor_text=job.input.input_minimal.anchor_text,
            outcome_reasons=job.outcome_reasons,
        )
