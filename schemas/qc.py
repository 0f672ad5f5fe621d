"""The QC report: eight Next-A1 criteria, the weighted score, status and human-review flag."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas._types import Score
from schemas.article import QCExtension
from schemas.enums import CRITERION_WEIGHTS, Criterion, QCStatus

__all__ = [
    "RUBRIC_CRITERIA",
    "CriterionScore",
    "HumanReview",
    "QCReport",
    "QCRubric",
    "RubricItem",
    "status_for",
]

PASS_THRESHOLD = 80.0
WARNING_THRESHOLD = 50.0

# Criteria where judgement (the LLM rubric) adds to what rules can measure.
RUBRIC_CRITERIA = (Criterion.DRAFT, Criterion.INTENT, Criterion.FIT)


def status_for(score: float) -> QCStatus:
    """Map a 0-100 score to PASS (>= 80), WARNING (50-79) or BLOCKED (< 50)."""
    if score >= PASS_THRESHOLD:
        return QCStatus.PASS
    if score >= WARNING_THRESHOLD:
        return QCStatus.WARNING
    return QCStatus.BLOCKED


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CriterionScore(_Model):
    criterion: Criterion
    score: Score
    weight: float
    status: QCStatus
    findings: list[str] = Field(default_factory=list)
    fix: str | None = Field(
        default=None,
        description="A concrete instruction for the reviser; None when nothing to fix.",
    )
    decided_by: Literal["rules", "llm", "rules+llm"] = "rules"


class HumanReview(_Model):
    required: bool = False
    reasons: list[str] = Field(default_factory=list)


class QCReport(_Model):
    criteria: list[CriterionScore]
    overall: Score
    status: QCStatus
    human_review: HumanReview = Field(default_factory=HumanReview)
    qc_extension: QCExtension

    @model_validator(mode="after")
    def _all_eight(self) -> QCReport:
        seen = [c.criterion for c in self.criteria]
        if sorted(seen) != sorted(Criterion):
            raise ValueError("criteria must hold each of the 8 Next-A1 criteria exactly once")
        return self

    def score_of(self, criterion: Criterion) -> float:
        """Return the score of one criterion."""
        return next(c.score for c in self.criteria if c.criterion is criterion)

    def get(self, criterion: Criterion) -> CriterionScore:
        """Return one criterion's entry."""
        return next(c for c in self.criteria if c.criterion is criterion)

    @property
    def failing(self) -> list[CriterionScore]:
        """Criteria below the pass threshold that carry a fix instruction, worst first."""
        bad = [c for c in self.criteria if c.score < PASS_THRESHOLD and c.fix]
        return sorted(bad, key=lambda c: c.score)

    @staticmethod
    def weighted(scores: dict[Criterion, float]) -> float:
        """Return the Next-A1 weighted overall score."""
        return round(sum(CRITERION_WEIGHTS[c] * s for c, s in scores.items()), 1)


class RubricItem(_Model):
    criterion: Literal["DRAFT", "INTENT", "FIT"]
    score: int = Field(ge=0, le=100)
    finding: str = Field(
        max_length=400, description="What works or fails, in one or two sentences."
    )
    fix: str = Field(max_length=400, description="One concrete instruction, or an empty string.")


class QCRubric(_Model):
    """The QC Reviewer LLM's judgement on what only judgement can score."""

    items: list[RubricItem] = Field(min_length=1, max_length=3)
