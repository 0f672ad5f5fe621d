"""Run one ledger job through the checkpointed graph: start fresh, resume, or stop cleanly.

The job's ledger row exists before its graph starts (it was submitted). Each node transition
is recorded in the job's timeline; the terminal node commits the final article and outcome in
one transaction (exactly once); a stop request takes effect at the next node boundary, after
the previous node's checkpoint is durable, so a later run resumes there.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agents.budget import BatchBudget, JobBudget
from nodes.context import ArticleStore, JobContext
from schemas.enums import Outcome, Role
from schemas.errors import BacowrError, ConfigError
from schemas.job_package import JobMeta, JobPackage
from schemas.state import JobFailure, JobState, TokenUsage
from services._db_errors import is_database_outage
from services.runtime import AppRuntime
from storage.records import Job

__all__ = ["ExecutionResult", "execute_job", "initial_state"]

log = logging.getLogger(__name__)

CRASH_EXIT = 86  # the exit code of the crash test hooks (settings.crash_at)


@dataclass(frozen=True)
class ExecutionResult:
    job_id: str
    status: Literal["finished", "stopped", "failed", "waiting_review"]
    state: JobState | None = None


def initial_state(job: Job) -> JobState:
    """Return the state a job's graph starts from: only its inputs are filled."""
    package = JobPackage(
        job_meta=JobMeta(job_id=job.id, created_at=job.created_at),
        input_minimal=job.input.input_minimal,
        generation_constraints=job.input.generation_constraints,
    )
    return JobState(job_id=job.id, package=package)


def _totals(usage: dict[str, TokenUsage]) -> TokenUsage:
    total = TokenUsage()
    for item in usage.values():
        total = total + item
    return total


async def _note_prompt_changes(rt: AppRuntime, job: Job) -> None:
    if not job.prompt_hashes:
        return
    changed: dict[str, Any] = {}
    for role in Role:
        if role.value in job.prompt_hashes:
            _, sha = rt.prompts.read(role)
            if sha != job.prompt_hashes[role.value]:
                changed[role.value] = {"was": job.prompt_hashes[role.value], "now": sha}
    if changed:
        await rt.events.append(job.id, "prompt_changed", detail=changed)


class _CrashAfterFinalCommit:
    """Test hook: die right after the final article commit, before the next checkpoint."""

    def __init__(self, inner: ArticleStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def commit_final(
        self, job_id: str, version: int | None, outcome: Outcome, reasons: list[str]
    ) -> bool:
        committed = await self._inner.commit_final(job_id, version, outcome, reasons)
        if committed:
            os._exit(CRASH_EXIT)
        return committed


class _Progress:
    """Mirror what the graph does into the job ledger and timeline."""

    def __init__(self, rt: AppRuntime, job_id: str, usage: dict[str, TokenUsage]) -> None:
        self.rt = rt
        self.job_id = job_id
        self.usage = dict(usage)
        self.started: dict[str, float] = {}
        self.progressed = False

    async def entered(self, task_id: str, node: str) -> None:
        settings = self.rt.settings
        if settings.crash_at == "before_node" and node == settings.crash_node:
            os._exit(CRASH_EXIT)  # test hook: die between two nodes
        self.started[task_id] = time.monotonic()
        await self.rt.jobs.enter_node(self.job_id, node)
        await self.rt.events.append(self.job_id, "entered", node=node)

    async def left(self, task_id: str, node: str, error: Any, result: Any) -> None:
        elapsed = int((time.monotonic() - self.started.pop(task_id, time.monotonic())) * 1000)
        detail = {"error": str(error)[:500]} if error else None
        kind = "error" if error else "left"
        await self.rt.events.append(
            self.job_id, kind, node=node, duration_ms=elapsed, detail=detail
        )
        if not error and not self.progressed:
            # Attempts count runs that got nowhere; a job that moves on is not a poison job.
            self.progressed = True
            await self.rt.jobs.reset_attempts(self.job_id)
        if not isinstance(result, dict):
            return
        for key, item in (result.get("usage") or {}).items():
            self.usage[key] = self.usage.get(key, TokenUsage()) + TokenUsage.model_validate(item)
        total = _totals(self.usage)
        qc = result.get("qc")
        await self.rt.jobs.record_progress(
            self.job_id,
            iteration=result.get("iteration"),
            qc_score=getattr(qc, "overall", None),
            tokens_in=total.input_tokens,
            tokens_out=total.output_tokens,
            cost_usd=total.cost_usd,
            prompt_hashes=result.get("prompt_hashes") or None,
        )


async def execute_job(
    rt: AppRuntime,
    job: Job,
    *,
    stop: asyncio.Event | None = None,
    batch_budget: BatchBudget | None = None,
    resume: dict[str, Any] | None = None,
) -> ExecutionResult:
    """Run or resume one job thread until it ends, fails, or `stop` is set at a node boundary.

    `resume` answers a pending `interrupt()` (a reviewer's decision). Never raises for a job's
    own failure: errors end the job as `failed` with the error.
    """
    if rt.agents is None:
        raise ConfigError("this runtime was opened without models; it cannot run jobs")
    config: RunnableConfig = {"configurable": {"thread_id": job.id}}
    snapshot = await rt.graph.aget_state(config)
    resuming = bool(snapshot.values)
    prior = JobState.model_validate(snapshot.values) if resuming else initial_state(job)
    if resuming and not snapshot.next and not snapshot.tasks:
        # Ended and committed. (A crash between the last writes and the next checkpoint also
        # shows no `next`, but still lists pending tasks: that thread is resumed below.)
        return ExecutionResult(job.id, "finished", prior)
    if resume is None and _waiting_for_review(snapshot):
        return ExecutionResult(job.id, "waiting_review", prior)
    if resuming:
        await _note_prompt_changes(rt, job)
        await rt.events.append(job.id, "resumed", node=snapshot.next[0] if snapshot.next else None)
    budget = JobBudget(
        limit_usd=rt.settings.budget_per_article_usd,
        spent_usd=_totals(prior.usage).cost_usd,
        batch=batch_budget,
    )
    articles: ArticleStore = rt.articles
    if rt.settings.crash_at == "after_final_commit":
        articles = _CrashAfterFinalCommit(rt.articles)
    ctx = JobContext(
        agents=rt.agents,
        research=rt.research.for_job(),
        articles=articles,
        budget=budget,
        writer_mode=rt.writer_mode,
    )
    progress = _Progress(rt, job.id, prior.usage)
    try:
        graph_input: Any = Command(resume=resume) if resume is not None else None
        async for event in rt.graph.astream(
            graph_input if resuming else prior,
            config,
            context=ctx,
            durability="sync",
            stream_mode="tasks",
        ):
            name = str(event["name"])
            if "input" in event:
                if stop is not None and stop.is_set():
                    # The previous node's checkpoint is durable: stop before this one runs.
                    return ExecutionResult(job.id, "stopped")
                await progress.entered(str(event["id"]), name)
            else:
                await progress.left(str(event["id"]), name, event.get("error"), event.get("result"))
    except Exception as exc:  # the isolation boundary of one job
        if is_database_outage(exc):
            raise  # not the job's fault: the worker resumes it when the database is back
        kind = exc.kind if isinstance(exc, BacowrError) else "crash"
        failure = JobFailure(kind=kind, message=str(exc)[:1000])
        log.warning("job %s failed: %s", job.id, failure.message, extra={"job_id": job.id})
        await rt.jobs.mark_failed(job.id, failure)
        await rt.events.append(job.id, "error", detail=failure.model_dump())
        return ExecutionResult(job.id, "failed")
    final = await rt.graph.aget_state(config)
    state = JobState.model_validate(final.values)
    if _waiting_for_review(final):
        await rt.events.append(job.id, "interrupted", node="review")
        return ExecutionResult(job.id, "waiting_review", state)
    await rt.events.append(job.id, "finished", detail={"outcome": str(state.outcome)})
    return ExecutionResult(job.id, "finished", state)


def _waiting_for_review(snapshot: Any) -> bool:
    return bool(snapshot.next) and any(task.interrupts for task in snapshot.tasks)
