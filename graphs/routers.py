"""Routing functions of the job graph: small, pure, deterministic."""

from __future__ import annotations

from typing import Literal

from graphs.policy import JobPolicy, plateau_reason
from schemas.state import JobState

__all__ = [
    "route_after_draft",
    "route_after_qc",
    "route_after_research",
    "route_after_sentinel",
]


def route_after_research(state: JobState) -> Literal["intent_sentinel", "fail"]:
    """Research done: on to the sentinel unless it failed."""
    return "fail" if state.failure else "intent_sentinel"


def route_after_sentinel(
    state: JobState, policy: JobPolicy
) -> Literal["write", "research", "refuse", "fail"]:
    """Write, research once more (within the cap), or refuse."""
    if state.failure:
        return "fail"
    decision = state.decision
    if decision is None:
        return "fail"
    if decision.action == "write":
        return "write"
    if decision.action == "research" and state.research_attempts < policy.max_research_attempts:
        return "research"
    return "refuse"


def route_after_draft(state: JobState) -> Literal["qc_review", "fail"]:
    """A draft was written or revised: score it unless that failed."""
    return "fail" if state.failure else "qc_review"


def route_after_qc(
    state: JobState, policy: JobPolicy
) -> Literal["finalize", "revise", "review", "fail"]:
    """Finish at the pass threshold; revise while it pays off; else hand to a human."""
    if state.failure or state.qc is None:
        return "fail"
    qc = state.qc
    if qc.overall >= policy.pass_threshold and not qc.human_review.required:
        return "finalize"
    if state.iteration >= policy.max_iterations:
        return "review"
    if plateau_reason(state.qc_rounds, policy.plateau_min_gain):
        return "review"
    if not qc.failing:  # flagged, but nothing a revision could fix
        return "review"
    return "revise"


def route_after_review(state: JobState) -> Literal["revise", "__end__"]:
    """After a human decision: revise again with the reviewer's notes, or end."""
    if state.review is not None and state.review.action == "revise" and state.outcome is None:
        return "revise"
    return "__end__"
