"""Terminal nodes: record the job's outcome (and its final article) exactly once."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graphs.policy import JobPolicy, needs_review_reasons
from nodes.context import JobContext
from schemas.enums import Outcome
from schemas.state import JobState, ReviewDecision

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
    """Build the node that ends a job as `needs_review` and waits for a human decision."""

    async def review(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
        """Record `needs_review` (with the article), then wait for approve, reject or revise.

        The node re-runs from the top when the thread resumes; the commit is idempotent.
        """
        ctx = runtime.context
        reasons = needs_review_reasons(state, policy)
        await _close(state, ctx, Outcome.needs_review, reasons, True)
        answer = interrupt(
            {
                "job_id": state.job_id,
                "reasons": reasons,
                "qc_overall": state.qc.overall if state.qc else None,
                "draft_version": state.draft_version,
            }
        )
        decision = ReviewDecision.model_validate(answer)
        note = f": {decision.notes}" if decision.notes else ""
        if decision.action == "approve":
            final = [f"approved by reviewer{note}"]
            await ctx.articles.resolve_review(state.job_id, Outcome.passed, final)
            return {"outcome": Outcome.passed, "outcome_reasons": final, "review": decision}
        if decision.action == "reject":
            final = [f"rejected by reviewer{note}"]
            await ctx.articles.resolve_review(state.job_id, Outcome.refused, final)
            return {"outcome": Outcome.refused, "outcome_reasons": final, "review": decision}
        await ctx.articles.reopen(state.job_id)
        return {
            "outcome": None,
            "outcome_reasons": [],
            "review": decision,
            "review_notes": decision.notes or "(revise again)",
        }

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
