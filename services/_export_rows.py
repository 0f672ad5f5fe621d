"""The rows of a batch export's report.csv and errors.csv, as the lists of strings written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from schemas.enums import Criterion, Outcome
from storage.records import ErrorLogEntry, FinalArticle, Job, JobStatus

__all__ = [
    "ERROR_COLUMNS",
    "REPORT_COLUMNS",
    "ExportJob",
    "error_rows",
    "job_problem",
    "qc_overall",
    "report_rows",
]

REPORT_COLUMNS = (
    "job_id",
    "publisher_domain",
    "target_url",
    "anchor_text",
    "outcome",
    "qc_overall",
    *(criterion.value for criterion in Criterion),
    "iterations",
    "tokens_in",
    "tokens_out",
    "cost_usd",
    "duration_s",
    "error",
)
ERROR_COLUMNS = ("row_number", "job_id", "kind", "reason", "raw")

_FAILED = frozenset({JobStatus.failed, JobStatus.refused})
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportJob(BaseModel):
    """What the export needs of one job: its row, its final article and its package JSON."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    job: Job
    article: FinalArticle | None = None
    package: dict[str, Any] | None = None


def report_rows(jobs: Sequence[ExportJob]) -> list[list[str]]:
    """Return report.csv's data rows (header: `REPORT_COLUMNS`), one per job, in order."""
    return [_report_row(item) for item in jobs]


def error_rows(jobs: Sequence[ExportJob], rejected: Sequence[ErrorLogEntry]) -> list[list[str]]:
    """Return errors.csv's data rows (header: `ERROR_COLUMNS`): logged errors, then failed jobs.

    Logged errors keep their order; failed and refused jobs follow in the order given.
    """
    rows = [
        [
            "" if entry.row_number is None else str(entry.row_number),
            entry.job_id or "",
            _text(entry.kind),
            _text(entry.reason),
            _text(_raw_text(entry.raw)),
        ]
        for entry in rejected
    ]
    for item in jobs:
        job = item.job
        if job.status in _FAILED or job.outcome in (Outcome.failed, Outcome.refused):
            kind = job.error.kind if job.error else _status(job)
            rows.append(["", job.id, _text(kind), _text(job_problem(job)), ""])
    return rows


def qc_overall(item: ExportJob) -> float | None:
    """Return the final QC report's overall score, else the job's last recorded score."""
    report = item.article.qc_report if item.article else None
    return report.overall if report else item.job.qc_score


def job_problem(job: Job) -> str:
    """Return why a job did not simply pass: its failure message, else its outcome reasons."""
    if job.error is not None:
        return job.error.message
    return "; ".join(job.outcome_reasons)


def _report_row(item: ExportJob) -> list[str]:
    job = item.job
    minimal = job.input.input_minimal
    report = item.article.qc_report if item.article else None
    scores = [_num(report.score_of(c)) if report else "" for c in Criterion]
    duration = None
    if job.started_at is not None and job.finished_at is not None:
        duration = (job.finished_at - job.started_at).total_seconds()
    return [
        job.id,
        _text(minimal.publisher_domain),
        _text(minimal.target_url),
        _text(minimal.anchor_text),
        _status(job),
        _num(qc_overall(item)),
        *scores,
        str(job.iteration),
        str(job.tokens_in),
        str(job.tokens_out),
        _num(job.cost_usd),
        _num(duration),
        _text(job_problem(job)),
    ]


def _status(job: Job) -> str:
    return job.outcome.value if job.outcome is not None else job.status.value


def _num(value: float | None) -> str:
    """Format a number without float noise or exponent: 85.0 -> '85', 0.00012 -> '0.00012'."""
    if value is None:
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _text(value: str) -> str:
    """Keep a spreadsheet from running the cell as a formula; the text stays readable."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _raw_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, ensure_ascii=False)
