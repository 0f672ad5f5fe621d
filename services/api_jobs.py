"""Jobs as the API sees them: submit one, and gather a job's status with its QC report."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.qc import QCReport
from services.runtime import AppRuntime
from storage.records import FinalArticle, Job, JobInput

__all__ = ["JobView", "job_view", "submit_job"]


async def submit_job(
    rt: AppRuntime,
    minimal: InputMinimal,
    constraints: GenerationConstraints | None = None,
    *,
    idempotency_key: str | None = None,
    priority: int = 0,
) -> tuple[Job, bool]:
    """Create the job's ledger row (queued) unless it exists; return it and whether it is new.

    The same key (or, without a key, the same input) returns the job the first request made;
    a running worker claims it from the queue.

    Raises:
        IdempotencyConflictError: the key was used for a different input.
    """
    job_input = JobInput(
        input_minimal=minimal, generation_constraints=constraints or GenerationConstraints()
    )
    return await rt.jobs.create_or_get(
        job_input, idempotency_key=idempotency_key, priority=priority
    )


@dataclass(frozen=True)
class JobView:
    job: Job
    qc: QCReport | None
    article: FinalArticle | None


async def job_view(rt: AppRuntime, job_id: str) -> JobView:
    """Return the job, its final article (if any) and the newest QC report.

    The QC report is the final article's, else that of the newest scored draft version.

    Raises:
        JobNotFoundError: no such job.
    """
    job = await rt.jobs.get(job_id)
    article = await rt.articles.get_final(job_id)
    qc = article.qc_report if article is not None else None
    if qc is None:
        for version in reversed(await rt.articles.list_versions(job_id)):
            if version.qc_report is not None:
                qc = version.qc_report
                break
    return JobView(job=job, qc=qc, article=article)
