"""Inside a job: debug view, checkpoint history, and the live event stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import RuntimeDep, StateDep
from api.models.common import ErrorBody
from api.models.debug import CheckpointOut, EventOut, JobDebugOut
from services.api_debug import job_debug, job_history
from services.api_streams import FeedItem, job_feed

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such job."}
}
SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A `text/event-stream`; each event's data is JSON. It ends by itself.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    **_NOT_FOUND,
}


@router.get(
    "/{job_id}/debug", response_model=JobDebugOut, responses=_NOT_FOUND, summary="Debug a job"
)
async def get_debug(job_id: str, rt: RuntimeDep) -> JobDebugOut:
    """Current and next nodes, time in node, last QC and error, checkpoint, prompt versions,
    research cache hits and the model endpoints' breaker states."""
    return JobDebugOut.from_debug(await job_debug(rt, job_id))


@router.get(
    "/{job_id}/history",
    response_model=list[CheckpointOut],
    responses=_NOT_FOUND,
    summary="A job's checkpoints",
)
async def get_history(
    job_id: str,
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Newest first, at most.")] = 100,
) -> list[CheckpointOut]:
    """The thread's checkpoint timeline, newest first, with a compact state summary each."""
    return [CheckpointOut.from_entry(e) for e in await job_history(rt, job_id, limit=limit)]


def _sse(item: FeedItem) -> ServerSentEvent:
    if item.event is not None:
        data = EventOut.from_event(item.event).model_dump_json()
        return ServerSentEvent(data=data, event=item.event.event, id=str(item.event.id))
    return ServerSentEvent(data=json.dumps({"status": item.status}), event="end")


@router.get(
    "/{job_id}/events",
    response_class=Response,
    responses=SSE_RESPONSE,
    summary="Follow a job (server-sent events)",
)
async def stream_events(
    job_id: str,
    rt: RuntimeDep,
    state: StateDep,
    after_id: Annotated[int, Query(ge=0, le=2**62, description="Skip events up to this id.")] = 0,
    last_event_id: Annotated[
        str | None, Header(alias="Last-Event-ID", description="Resume after this event id.")
    ] = None,
) -> EventSourceResponse:
    """Node transitions as they happen (`entered`, `left`, `error`, `finished`, ...), then an
    `end` event with the job's status. Reconnecting with Last-Event-ID resumes."""
    await rt.jobs.get(job_id)  # 404 before the stream starts
    if last_event_id and last_event_id.isdigit():
        after_id = max(after_id, int(last_event_id))

    async def events() -> AsyncIterator[ServerSentEvent]:
        async for item in job_feed(rt, job_id, after_id=after_id, poll_s=state.poll_s):
            yield _sse(item)

    return EventSourceResponse(events(), ping=15)
