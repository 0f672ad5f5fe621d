"""Jobs: submit one, read its status and QC, fetch its article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status
from fastapi.responses import PlainTextResponse

from api.deps import RuntimeDep
from api.models.common import ErrorBody
from api.models.jobs import JobCreate, JobOut, JobSubmitted
from schemas.job_package import InputMinimal
from services.api_jobs import job_view, submit_job
from storage.errors import NotFoundError

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such job."}
}
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Send the same key again to get the same job back instead of a new one.",
    ),
]


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobSubmitted,
    responses={
        200: {"model": JobSubmitted, "description": "An earlier request made this job."},
        409: {"model": ErrorBody, "description": "The key was used for another input."},
    },
    summary="Submit a job",
)
async def create_job(
    body: JobCreate, rt: RuntimeDep, response: Response, idempotency_key: IdempotencyKey = None
) -> JobSubmitted:
    """Queue one article; the in-process workers (or `bacowr worker`) pick it up.

    The same `Idempotency-Key` (or, without one, the same input) returns the same job:
    202 when this request created it, 200 when an earlier one did.
    """
    minimal = InputMinimal(
        publisher_domain=body.publisher_domain,
        target_url=body.target_url,
        anchor_text=body.anchor_text,
    )
    job, created = await submit_job(
        rt,
        minimal,
        body.generation_constraints,
        idempotency_key=idempotency_key,
        priority=body.priority,
    )
    url = f"{router.prefix}/{job.id}"
    response.headers["Location"] = url
    if not created:
        response.status_code = status.HTTP_200_OK
    return JobSubmitted(id=job.id, status=job.status.value, created=created, url=url)


@router.get("/{job_id}", response_model=JobOut, responses=_NOT_FOUND, summary="A job's status")
async def get_job(job_id: str, rt: RuntimeDep) -> JobOut:
    """Status, outcome and reasons, the QC breakdown, iterations, usage and timings."""
    return JobOut.from_view(await job_view(rt, job_id))


@router.get(
    "/{job_id}/article",
    # A plain Response class keeps the documented error bodies JSON.
    response_class=Response,
    responses={
        200: {
            "content": {"text/markdown": {"schema": {"type": "string"}}},
            "description": "The final article (markdown).",
        },
        404: {"model": ErrorBody, "description": "No such job, or no final article yet."},
    },
    summary="A job's final article",
)
async def get_article(job_id: str, rt: RuntimeDep) -> PlainTextResponse:
    """The final article as markdown; 404 until the job ended passed or needs_review."""
    await rt.jobs.get(job_id)
    article = await rt.articles.get_final(job_id)
    if article is None:
        raise NotFoundError("the job has no final article", job_id=job_id)
    return PlainTextResponse(article.markdown, media_type="text/markdown; charset=utf-8")
