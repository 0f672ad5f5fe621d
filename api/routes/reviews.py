"""The review queue: list jobs waiting for a person; approve, reject or revise one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from api.deps import BackgroundDep, RuntimeDep
from api.models.common import ErrorBody
from api.models.ops import ReviewDecisionIn, ReviewItemOut, ReviewResultOut
from services.reviews import NotWaitingForReviewError, decide, list_reviews
from storage.records import JobStatus

router = APIRouter(prefix="/api/v1", tags=["reviews"])

_DECIDE_ERRORS: dict[int | str, dict[str, Any]] = {
    202: {"model": ReviewResultOut, "description": "revise: the revision runs in the background."},
    404: {"model": ErrorBody, "description": "No such job."},
    409: {"model": ErrorBody, "description": "The job is not waiting for a review."},
}


@router.get("/reviews", response_model=list[ReviewItemOut], summary="The review queue")
async def get_reviews(
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[ReviewItemOut]:
    """Jobs that ended needs_review, oldest first."""
    jobs = await list_reviews(rt, limit=limit, offset=offset)
    return [ReviewItemOut.from_job(job) for job in jobs]


@router.post(
    "/jobs/{job_id}/review",
    response_model=ReviewResultOut,
    responses=_DECIDE_ERRORS,
    summary="Decide a review",
)
async def post_review(
    job_id: str,
    body: ReviewDecisionIn,
    rt: RuntimeDep,
    background: BackgroundDep,
    response: Response,
) -> ReviewResultOut:
    """approve and reject answer at once (200); revise runs the reviser and QC in the
    background (202) and the job comes back to the queue or passes."""
    decision = body.to_decision()
    if decision.action != "revise":
        await decide(rt, job_id, decision)
        job = await rt.jobs.get(job_id)
        return ReviewResultOut(job_id=job_id, action=decision.action, status=job.status.value)
    job = await rt.jobs.get(job_id)
    task_name = f"review:{job_id}"
    if job.status is not JobStatus.needs_review or background.active(task_name):
        state = "being revised" if background.active(task_name) else job.status.value
        raise NotWaitingForReviewError(
            f"job {job_id} is {state}, not waiting for a review", job_id=job_id
        )
    background.spawn(decide(rt, job_id, decision), name=task_name)
    response.status_code = status.HTTP_202_ACCEPTED
    return ReviewResultOut(job_id=job_id, action="revise", status="revising")
