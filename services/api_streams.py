"""Live feeds for server-sent events: a job's timeline and a batch's progress, by polling.

Each feed ends by itself when its job or batch ends, so a client (or a test) reading to the
end of the stream gets everything and then the stream closes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from services.batches import BatchProgress, progress
from services.runtime import AppRuntime
from storage.records import BatchStatus, JobEvent

__all__ = ["FeedItem", "batch_feed", "job_feed"]

PAGE = 200


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: a job event, a progress snapshot, or the end marker."""

    kind: str
    event: JobEvent | None = None
    progress: BatchProgress | None = None
    status: str | None = None


async def job_feed(
    rt: AppRuntime, job_id: str, *, after_id: int = 0, poll_s: float = 1.0
) -> AsyncIterator[FeedItem]:
    """Yield the job's events after `after_id` as they happen, then an `end` item.

    Raises:
        JobNotFoundError: no such job (before anything is yielded).
    """
    job = await rt.jobs.get(job_id)
    last = after_id
    ending = False
    while True:
        events = await rt.events.timeline(job_id, after_id=last, limit=PAGE)
        for event in events:
            last = event.id
            yield FeedItem("event", event=event)
        if len(events) == PAGE:
            continue
        if ending:
            yield FeedItem("end", status=job.status.value)
            return
        job = await rt.jobs.get(job_id)
        if job.is_terminal:
            # The closing events are written just after the status: read once more.
            ending = True
        await asyncio.sleep(poll_s)


async def batch_feed(
    rt: AppRuntime, batch_id: str, *, poll_s: float = 1.0
) -> AsyncIterator[FeedItem]:
    """Yield a progress snapshot whenever it changes, then an `end` item when the batch ends.

    Raises:
        BatchNotFoundError: no such batch (before anything is yielded).
    """
    previous: BatchProgress | None = None
    while True:
        snapshot = await progress(rt, batch_id)
        if snapshot != previous:
            yield FeedItem("progress", progress=snapshot)
            previous = snapshot
        if snapshot.status in (BatchStatus.finished.value, BatchStatus.cancelled.value):
            yield FeedItem("end", status=snapshot.status)
            return
        await asyncio.sleep(poll_s)
