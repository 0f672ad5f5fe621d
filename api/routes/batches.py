"""Batches: submit rows (JSON) or a file (upload), follow, cancel, resume, export."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask

from api.deps import RuntimeDep, SettingsDep, StateDep
from api.models.batches import (
    AcceptedJobOut,
    BatchCreate,
    BatchOut,
    BatchProgressOut,
    BatchSubmitted,
    RejectedRowOut,
)
from api.models.common import ErrorBody
from api.models.jobs import JobListItem
from api.routes.job_inside import SSE_RESPONSE
from services.api_inputs import without_nul
from services.api_streams import batch_feed
from services.batch_import import parse_batch
from services.batch_results import export_results, list_all_jobs
from services.batches import batch_id_for, cancel_batch, progress, resume_batch, submit_batch
from services.runtime import AppRuntime

router = APIRouter(prefix="/api/v1/batches", tags=["batches"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such batch."}
}
_SUBMITTED: dict[int | str, dict[str, Any]] = {
    200: {"model": BatchSubmitted, "description": "This content was submitted before."},
    422: {"model": ErrorBody, "description": "Not a table of jobs (or an invalid body)."},
}


async def _submit(
    rt: AppRuntime, data: bytes, filename: str, name: str | None, concurrency: int
) -> tuple[BatchSubmitted, bool]:
    parsed = without_nul(await asyncio.to_thread(parse_batch, data, filename))
    submitted = await submit_batch(
        rt, parsed, name=name or filename, batch_id=batch_id_for(data), concurrency=concurrency
    )
    accepted = [
        AcceptedJobOut(row_number=row.row_number, job_id=job.id, status=job.status.value)
        for row, job in zip(parsed.accepted, submitted.jobs, strict=True)
    ]
    body = BatchSubmitted(
        batch_id=submitted.batch.id,
        name=submitted.batch.name,
        created=submitted.created,
        status=submitted.batch.status.value,
        accepted=accepted,
        rejected=[
            RejectedRowOut(row_number=r.row_number, kind=r.kind, reason=r.reason)
            for r in submitted.rejected
        ],
        warnings=parsed.warnings,
    )
    return body, submitted.created


def _status(created: bool) -> int:
    return status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=BatchSubmitted,
    responses=_SUBMITTED,
    summary="Submit a batch (JSON rows)",
)
async def create_batch(body: BatchCreate, rt: RuntimeDep, settings: SettingsDep) -> JSONResponse:
    """Each row becomes a job or is rejected with its row number (1-based) and reason."""
    rows = [row.model_dump(exclude_none=True) for row in body.rows]
    data = json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")
    name = body.name.replace("\x00", "") if body.name else None
    result, created = await _submit(rt, data, "rows.json", name, settings.api_workers or 1)
    return _json(result, created)


@router.post(
    "/upload",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=BatchSubmitted,
    responses=_SUBMITTED,
    summary="Submit a batch (CSV, JSON or JSONL file)",
)
async def upload_batch(
    rt: RuntimeDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Jobs as .csv, .json or .jsonl (UTF-8).")],
    name: Annotated[str | None, Form(max_length=200, description="A label.")] = None,
) -> JSONResponse:
    """Row numbers are file lines (a CSV header is line 1); the same file is the same batch."""
    data = await file.read()
    filename = Path(file.filename or "upload.csv").name
    name = name.replace("\x00", "") if name else None
    filename = filename.replace("\x00", "") or "upload.csv"
    result, created = await _submit(rt, data, filename, name, settings.api_workers or 1)
    return _json(result, created)


def _json(body: BatchSubmitted, created: bool) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=_status(created))


@router.get("", response_model=list[BatchOut], summary="List batches")
async def list_batches(
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[BatchOut]:
    """Newest first."""
    return [
        BatchOut.from_batch(b) for b in await rt.batches.list_batches(limit=limit, offset=offset)
    ]


@router.get("/{batch_id}", response_model=BatchProgressOut, responses=_NOT_FOUND)
async def get_batch(batch_id: str, rt: RuntimeDep) -> BatchProgressOut:
    """Counts by status, throughput and ETA."""
    return BatchProgressOut.from_progress(await progress(rt, batch_id))


@router.get("/{batch_id}/jobs", response_model=list[JobListItem], responses=_NOT_FOUND)
async def list_batch_jobs(batch_id: str, rt: RuntimeDep) -> list[JobListItem]:
    """Every job of the batch, oldest first, with status and QC score."""
    await rt.batches.get(batch_id)
    return [JobListItem.from_job(j) for j in await list_all_jobs(rt, batch_id)]


@router.get(
    "/{batch_id}/events",
    response_class=Response,
    responses=SSE_RESPONSE,
    summary="Follow a batch (server-sent events)",
)
async def stream_progress(batch_id: str, rt: RuntimeDep, state: StateDep) -> EventSourceResponse:
    """`progress` events (BatchProgressOut as JSON) while it runs, then an `end` event."""
    await rt.batches.get(batch_id)

    async def events() -> AsyncIterator[ServerSentEvent]:
        async for item in batch_feed(rt, batch_id, poll_s=state.poll_s):
            if item.progress is not None:
                data = BatchProgressOut.from_progress(item.progress).model_dump_json()
                yield ServerSentEvent(data=data, event="progress")
            else:
                yield ServerSentEvent(data=json.dumps({"status": item.status}), event="end")

    return EventSourceResponse(events(), ping=15)


@router.post("/{batch_id}/cancel", response_model=BatchOut, responses=_NOT_FOUND)
async def cancel(batch_id: str, rt: RuntimeDep) -> BatchOut:
    """Start no new jobs; running ones stop at their next node boundary."""
    await rt.batches.get(batch_id)
    return BatchOut.from_batch(await cancel_batch(rt, batch_id))


@router.post("/{batch_id}/resume", response_model=BatchOut, responses=_NOT_FOUND)
async def resume(batch_id: str, rt: RuntimeDep) -> BatchOut:
    """Queue the cancelled jobs again; they continue from their checkpoints."""
    await rt.batches.get(batch_id)
    return BatchOut.from_batch(await resume_batch(rt, batch_id))


@router.get(
    "/{batch_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "Articles, packages, reports.",
        },
        **_NOT_FOUND,
    },
    summary="Export a batch (zip)",
)
async def export(batch_id: str, rt: RuntimeDep) -> FileResponse:
    """A zip of articles (markdown), job packages (JSON), report.csv and errors.csv."""
    await rt.batches.get(batch_id)
    out = Path(tempfile.mkdtemp(prefix="bacowr-export-"))
    try:
        paths = await export_results(rt, batch_id, out)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return FileResponse(
        paths.zip_path,
        media_type="application/zip",
        filename=paths.zip_path.name,
        background=BackgroundTask(shutil.rmtree, out, ignore_errors=True),
    )
