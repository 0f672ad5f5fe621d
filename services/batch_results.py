"""Gather a batch's results from the ledger, the article table and the checkpoints."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from services.batch_export import ExportJob, ExportPaths, export_batch
from services.runtime import AppRuntime
from storage.records import ErrorLogEntry, Job

__all__ = ["collect_results", "export_results", "list_all_jobs"]

PAGE = 500


async def list_all_jobs(rt: AppRuntime, batch_id: str) -> list[Job]:
    """Return every job of a batch, oldest first."""
    jobs: list[Job] = []
    while True:
        page = await rt.jobs.list_jobs(batch_id=batch_id, limit=PAGE, offset=len(jobs))
        jobs.extend(page)
        if len(page) < PAGE:
            return jobs


async def _package(rt: AppRuntime, job_id: str) -> dict[str, Any] | None:
    config: RunnableConfig = {"configurable": {"thread_id": job_id}}
    snapshot = await rt.graph.aget_state(config)
    package = snapshot.values.get("package") if snapshot.values else None
    return package.model_dump(mode="json") if package is not None else None


async def collect_results(
    rt: AppRuntime, batch_id: str
) -> tuple[list[ExportJob], list[ErrorLogEntry]]:
    """Return each job with its final article and package, and the batch's error log."""
    exports = []
    for job in await list_all_jobs(rt, batch_id):
        exports.append(
            ExportJob(
                job=job,
                article=await rt.articles.get_final(job.id),
                package=await _package(rt, job.id),
            )
        )
    errors = await rt.errors.list_errors(batch_id=batch_id, limit=100_000)
    return exports, errors


async def export_results(rt: AppRuntime, batch_id: str, out_dir: Path) -> ExportPaths:
    """Write the batch's export folder and zip under `out_dir`."""
    jobs, errors = await collect_results(rt, batch_id)
    # Writing files and the zip is blocking work: keep it off the event loop.
    return await asyncio.to_thread(export_batch, out_dir, batch_id, jobs, errors)
