"""Terminal nodes: record the job's outcome (and its final article) exactly once."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.policy import JobPolicy, needs_review_reasons
from nodes.context import JobContext
from schemas.enums import Outcome
from schemas.state import JobState

__all__ = ["fail", "finalize", "make_review", "refuse"]


async def _close(
    state: JobState, ctx: JobContext, outcome: Outcome, reasons: list[str], with_article: bool
) -> dict[str, Any]:
    version = state.draft_version if with_article else None
    await ctx.articles.commit_final(state.job_id, version, outcome, reasons)
    return {"outcome": outcome, "outcome_reasons": reasons}


async def finalize(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """The article passed QC."""
    return await _close(state, runtime.context, Outcome.passed, [], with_article=True)


def make_review(policy: JobPolicy) -> Any:
    """Build the node that ends a job as `needs_review`, with the reasons."""

    async def review(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
        """Revising stopped below the bar or a Next-A1 trigger fired: a human decides."""
        reasons = needs_review_reasons(state, policy)
        return await _close(state, runtime.context, Outcome.needs_review, reasons, True)

    return review


async def refuse(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """The sentinel would not let the job be written."""
    decision = state.decision
    reasons = list(decision.reasons) if decision else []
    if decision is not None and decision.action == "research":
        reasons.append(f"research attempts exhausted ({state.research_attempts})")
    return await _close(state, runtime.context, Outcome.refused, reasons, with_article=False)


async def fail(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """A node hit an error it cannot recover from; the error is recorded, never written."""
    failure = state.failure
    reasons = [f"{failure.node}: {failure.kind}: {failure.message}"] if failure else ["unknown"]
    return await _close(state, runtime.context, Outcome.failed, reasons, with_article=False)
