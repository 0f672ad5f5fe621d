"""Bodies of the review queue and the operations routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from schemas.state import ReviewDecision
from storage.records import Job

__all__ = [
    "CheckOut",
    "HealthOut",
    "PromptOut",
    "ReadinessOut",
    "ReviewDecisionIn",
    "ReviewItemOut",
    "ReviewResultOut",
]


class ReviewDecisionIn(BaseModel):
    """A reviewer's decision on a job waiting for review."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "revise", "notes": "Add a source for prices."}]},
    )

    action: Literal["approve", "reject", "revise"] = Field(
        description="approve: the job passes; reject: it ends refused; revise: the reviser "
        "runs again with the notes (answered 202, the job comes back or passes)."
    )
    notes: str = Field(default="", max_length=4000, description="For the reviser, or the record.")
    reviewer: str = Field(default="", max_length=200, description="Who decided.")

    def to_decision(self) -> ReviewDecision:
        return ReviewDecision(action=self.action, notes=self.notes, reviewer=self.reviewer)


class ReviewResultOut(BaseModel):
    job_id: str = Field(description="The job.", examples=["job_3f9c2a7b1e4d5c6a8b9f"])
    action: str = Field(description="The decision.", examples=["approve"])
    status: str = Field(
        description="The job's status after it (revising while a revision runs).",
        examples=["passed"],
    )


class ReviewItemOut(BaseModel):
    """A job waiting for a decision."""

    job_id: str = Field(description="The job.", examples=["job_3f9c2a7b1e4d5c6a8b9f"])
    batch_id: str | None = Field(description="Its batch.")
    publisher_domain: str = Field(description="Publisher.", examples=["villaliv.se"])
    target_url: str = Field(description="Target URL.")
    anchor_text: str = Field(description="Anchor.", examples=["laddbox till villan"])
    qc_score: float | None = Field(description="Its QC score.", examples=[64.0])
    iteration: int = Field(description="Passes so far.", examples=[3])
    reasons: list[str] = Field(description="Why it needs review.")
    updated_at: datetime = Field(description="Last change.")

    @classmethod
    def from_job(cls, job: Job) -> Self:
        minimal = job.input.input_minimal
        return cls(
            job_id=job.id,
            batch_id=job.batch_id,
            publisher_domain=minimal.publisher_domain,
            target_url=minimal.target_url,
            anchor_text=minimal.anchor_text,
            qc_score=job.qc_score,
            iteration=job.iteration,
            reasons=job.outcome_reasons,
            updated_at=job.updated_at,
        )


class PromptOut(BaseModel):
    role: str = Field(description="LLM role.", examples=["writer"])
    file: str = Field(description="File name in the prompts folder.", examples=["writer.md"])
    sha: str | None = Field(description="Content hash (as recorded per job).")
    changed_at: datetime | None = Field(description="File modification time.")
    ok: bool = Field(description="The placeholders match what the node supplies.")
    problem: str | None = Field(default=None, description="What does not match.")


class HealthOut(BaseModel):
    status: Literal["ok"] = Field(description="Always ok while the process serves.")


class CheckOut(BaseModel):
    name: str = Field(description="What was probed.", examples=["database"])
    ok: bool = Field(description="It answered.")
    detail: str = Field(description="Its answer or error.", examples=["SELECT 1 ok"])
    latency_ms: float = Field(description="Probe time.", examples=[1.8])


class ReadinessOut(BaseModel):
    ready: bool = Field(description="Every check passed.")
    checks: list[CheckOut] = Field(description="Database, checkpointer, each model endpoint.")
