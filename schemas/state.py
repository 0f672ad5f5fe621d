"""The job graph's state: what routing needs, and references to what lives elsewhere.

Article text lives in the article store (drafts per iteration); the state keeps the version
number, so checkpoints stay small.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import Criterion, Outcome, Role
from schemas.job_package import JobPackage
from schemas.qc import QCReport

__all__ = [
    "JobFailure",
    "JobState",
    "QCRound",
    "ReviewDecision",
    "SentinelDecision",
    "TokenUsage",
    "merge_dict",
    "merge_usage",
]


def merge_dict(left: dict[str, str], right: dict[str, str]) -> dict[str, str]:
    """Reducer: later keys win."""
    return {**left, **right}


class TokenUsage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            calls=self.calls + other.calls,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
        )


def merge_usage(left: dict[str, TokenUsage], right: dict[str, TokenUsage]) -> dict[str, TokenUsage]:
    """Reducer: add usage per key ('role:model')."""
    merged = dict(left)
    for key, usage in right.items():
        merged[key] = merged.get(key, TokenUsage()) + usage
    return merged


def append_list(left: list[str], right: list[str]) -> list[str]:
    """Reducer: append, keeping order and dropping duplicates."""
    return list(dict.fromkeys([*left, *right]))


class SentinelDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["write", "research", "refuse"]
    reasons: list[str] = Field(default_factory=list)


class ReviewDecision(BaseModel):
    """A reviewer's decision on a `needs_review` job: the value `interrupt()` resumes with."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "reject", "revise"]
    notes: str = Field(default="", max_length=4000)
    reviewer: str = Field(default="", max_length=200)


class QCRound(BaseModel):
    """What routing remembers of one QC pass."""

    model_config = ConfigDict(extra="forbid")

    iteration: int
    overall: float
    scores: dict[Criterion, float]
    findings_signature: str


class JobFailure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    message: str
    node: str | None = None


class JobState(BaseModel):
    """State of one job thread (thread_id = job id)."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    package: JobPackage
    research_attempts: int = 0
    decision: SentinelDecision | None = None
    iteration: int = 0
    draft_version: int | None = None
    qc: QCReport | None = None
    qc_rounds: list[QCRound] = Field(default_factory=list)
    outcome: Outcome | None = None
    outcome_reasons: list[str] = Field(default_factory=list)
    failure: JobFailure | None = None
    review_notes: str | None = None
    review: ReviewDecision | None = None
    prompt_hashes: Annotated[dict[str, str], merge_dict] = Field(default_factory=dict)
    usage: Annotated[dict[str, TokenUsage], merge_usage] = Field(default_factory=dict)
    cache_hits: Annotated[list[str], append_list] = Field(default_factory=list)

    def usage_for(self, role: Role) -> TokenUsage:
        """Sum usage over every model used by one role."""
        total = TokenUsage()
        for key, usage in self.usage.items():
            if key.split(":", 1)[0] == role.value:
                total = total + usage
        return total
