"""The human review queue: jobs that ended `needs_review` wait here for a decision."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.errors import BacowrError
from schemas.state import ReviewDecision
from services.execution import ExecutionResult, execute_job
from services.runtime import AppRuntime
from services.worker import worker_owner
from storage.records import FinalArticle, Job, JobStatus

REVISE_LEASE_S = 600.0

__all__ = ["NotWaitingForReviewError", "ReviewItem", "decide", "list_reviews", "show_review"]


class NotWaitingForReviewError(BacowrError):
    """A decision was sent for a job that is not waiting for one."""

    kind = "not_waiting_for_review"


@dataclass(frozen=True)
class ReviewItem:
    job: Job
    article: FinalArticle | None


async def list_reviews(rt: AppRuntime, *, limit: int = 100, offset: int = 0) -> list[Job]:
    """Return jobs waiting for a review decision, oldest first."""
    return await rt.jobs.list_jobs(statuses=[JobStatus.needs_review], limit=limit, offset=offset)


async def show_review(rt: AppRuntime, job_id: str) -> ReviewItem:
    """Return a job under review with its article (and QC report)."""
    job = await rt.jobs.get(job_id)
    return ReviewItem(job=job, article=await rt.articles.get_final(job_id))


async def decide(rt: AppRuntime, job_id: str, decision: ReviewDecision) -> ExecutionResult:
    """Resume the job's thread with the decision: approve, reject, or revise with notes.

    Approve and reject end the job (`passed` / `refused`); revise runs the reviser and QC
    again in this process and may come back to the queue.
    """
    job = await rt.jobs.get(job_id)
    if job.status is not JobStatus.needs_review:
        raise NotWaitingForReviewError(
            f"job {job_id} is {job.status.value}, not waiting for a review", job_id=job_id
        )
    await rt.events.append(job_id, "review", detail=decision.model_dump())
    if decision.action != "revise":
        return await execute_job(rt, job, resume=decision.model_dump())
    # Revising runs LLM work: hold a lease like a worker, so a crash here leaves a job that
    # another worker takes over when the lease expires (resuming from the checkpoint).
    await rt.articles.reopen(job_id)
    owner = worker_owner()
    leased = await rt.leases.acquire_lease(job_id, owner, lease_s=REVISE_LEASE_S)
    try:
        return await execute_job(rt, leased or job, resume=decision.model_dump())
    finally:
        await rt.leases.release_lease(job_id, owner)
