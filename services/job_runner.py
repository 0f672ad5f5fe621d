"""Run one job thread through the compiled job graph, isolating its failures."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from nodes.context import JobContext
from schemas.enums import Outcome
from schemas.errors import BacowrError
from schemas.job_package import GenerationConstraints, InputMinimal, JobMeta, JobPackage
from schemas.state import JobFailure, JobState

__all__ = ["new_job_state", "run_job"]

log = logging.getLogger(__name__)

Durability = Literal["sync", "async", "exit"]


def new_job_state(
    job: InputMinimal, constraints: GenerationConstraints | None = None, job_id: str | None = None
) -> JobState:
    """Return the initial state of a job: only its inputs are filled."""
    job_id = job_id or f"job_{uuid.uuid4().hex[:20]}"
    package = JobPackage(
        job_meta=JobMeta(job_id=job_id),
        input_minimal=job,
        generation_constraints=constraints or GenerationConstraints(),
    )
    return JobState(job_id=job_id, package=package)


async def run_job(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    state: JobState | None,
    ctx: JobContext,
    *,
    job_id: str | None = None,
    durability: Durability = "sync",
) -> JobState:
    """Run (or, with `state=None`, resume) a job thread to its end and return its final state.

    Whatever a node raises past its retries ends this job as `failed` with the error recorded;
    it never propagates to the caller, so one job cannot stop a batch.
    """
    thread_id = state.job_id if state is not None else job_id
    if thread_id is None:
        raise ValueError("run_job needs a state or a job id")
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    try:
        result = dict(await graph.ainvoke(state, config=config, context=ctx, durability=durability))
        interrupts = result.pop("__interrupt__", None)
        final = JobState.model_validate(result)
        if interrupts:  # the review node waits for a human: the job stands as needs_review
            reasons = list(interrupts[0].value.get("reasons", []))
            final = final.model_copy(
                update={"outcome": Outcome.needs_review, "outcome_reasons": reasons}
            )
        return final
    except Exception as exc:  # isolation boundary: record, don't propagate
        kind = exc.kind if isinstance(exc, BacowrError) else "crash"
        log.warning("job %s failed: %s: %s", thread_id, kind, exc)
        failure = JobFailure(kind=kind, message=str(exc)[:1000])
        snapshot = await graph.aget_state(config)
        last = JobState.model_validate(snapshot.values) if snapshot.values else state
        if last is None:
            raise
        reasons = [f"{kind}: {failure.message}"]
        await ctx.articles.commit_final(thread_id, None, Outcome.failed, reasons)
        return last.model_copy(
            update={"failure": failure, "outcome": Outcome.failed, "outcome_reasons": reasons}
        )
