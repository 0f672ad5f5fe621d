"""Factories for plain schema objects used across tests."""

from __future__ import annotations

from schemas.article import QCExtension, Readability
from schemas.enums import CRITERION_WEIGHTS, AnchorRisk, Criterion
from schemas.job_package import InputMinimal, JobMeta, JobPackage
from schemas.qc import CriterionScore, HumanReview, QCReport, status_for
from schemas.state import JobState, QCRound


def package(job_id: str = "job_test") -> JobPackage:
    """Return a package with only its inputs filled (before research)."""
    return JobPackage(
        job_meta=JobMeta(job_id=job_id),
        input_minimal=InputMinimal(
            publisher_domain="villaliv.se",
            target_url="https://www.laddhemma.se/laddbox-villa",
            anchor_text="laddbox till villan",
        ),
    )


def report(
    score: float = 85.0,
    *,
    scores: dict[Criterion, float] | None = None,
    review_reasons: list[str] | None = None,
    findings: str = "finding",
) -> QCReport:
    """Return a QC report with every criterion at `score` unless `scores` says otherwise."""
    per = {c: (scores or {}).get(c, score) for c in Criterion}
    criteria = [
        CriterionScore(
            criterion=c,
            score=s,
            weight=CRITERION_WEIGHTS[c],
            status=status_for(s),
            findings=[] if s >= 80 else [f"{c.value}: {findings}"],
            fix=None if s >= 80 else f"fix {c.value}",
        )
        for c, s in per.items()
    ]
    overall = QCReport.weighted(per)
    return QCReport(
        criteria=criteria,
        overall=overall,
        status=status_for(overall),
        human_review=HumanReview(required=bool(review_reasons), reasons=review_reasons or []),
        qc_extension=QCExtension(
            anchor_risk=AnchorRisk.low, readability=Readability(lix=40, target_range=(35, 50))
        ),
    )


def qc_round(iteration: int, overall: float, signature: str | None = None) -> QCRound:
    """Return one remembered QC round."""
    return QCRound(
        iteration=iteration,
        overall=overall,
        scores={c: overall for c in Criterion},
        findings_signature=signature or f"sig{iteration}",
    )


def state(**fields: object) -> JobState:
    """Return a job state with the given fields set."""
    return JobState(job_id="job_test", package=package(), **fields)  # type: ignore[arg-type]
