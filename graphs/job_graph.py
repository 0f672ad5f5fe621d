"""The job graph: research -> intent_sentinel -> write -> qc_review <-> revise -> outcome."""

from __future__ import annotations

from functools import partial

from langgraph.graph import END, START, StateGraph
from langgraph.types import RetryPolicy

from graphs.policy import JobPolicy
from graphs.routers import (
    route_after_draft,
    route_after_qc,
    route_after_research,
    route_after_review,
    route_after_sentinel,
)
from nodes.context import JobContext
from nodes.finalize import fail, finalize, make_review, refuse
from nodes.intent_sentinel import intent_sentinel
from nodes.qc_review import qc_review
from nodes.research import research
from nodes.revise import revise
from nodes.write import write
from schemas.errors import is_transient
from schemas.state import JobState

__all__ = ["NODES", "build_job_graph"]

NODES = ("research", "intent_sentinel", "write", "qc_review", "revise")
TERMINALS = ("finalize", "review", "refuse", "fail")


def build_job_graph(
    policy: JobPolicy | None = None, retry_attempts: int = 3
) -> StateGraph[JobState, JobContext, JobState, JobState]:
    """Return the uncompiled job graph; the caller compiles it with a checkpointer."""
    policy = policy or JobPolicy()
    retry = RetryPolicy(max_attempts=retry_attempts, retry_on=is_transient)
    graph = StateGraph(JobState, context_schema=JobContext)
    graph.add_node("research", research, retry_policy=retry)
    graph.add_node("intent_sentinel", intent_sentinel, retry_policy=retry)
    graph.add_node("write", write, retry_policy=retry)
    graph.add_node("qc_review", qc_review, retry_policy=retry)
    graph.add_node("revise", revise, retry_policy=retry)
    graph.add_node("finalize", finalize)
    graph.add_node("review", make_review(policy))
    graph.add_node("refuse", refuse)
    graph.add_node("fail", fail)

    graph.add_edge(START, "research")
    graph.add_conditional_edges(
        "research", route_after_research, {"intent_sentinel": "intent_sentinel", "fail": "fail"}
    )
    graph.add_conditional_edges(
        "intent_sentinel",
        partial(route_after_sentinel, policy=policy),
        {"write": "write", "research": "research", "refuse": "refuse", "fail": "fail"},
    )
    graph.add_conditional_edges(
        "write", route_after_draft, {"qc_review": "qc_review", "fail": "fail"}
    )
    graph.add_conditional_edges(
        "qc_review",
        partial(route_after_qc, policy=policy),
        {"finalize": "finalize", "revise": "revise", "review": "review", "fail": "fail"},
    )
    graph.add_conditional_edges(
        "revise", route_after_draft, {"qc_review": "qc_review", "fail": "fail"}
    )
    graph.add_conditional_edges("review", route_after_review, {"revise": "revise", "__end__": END})
    for terminal in ("finalize", "refuse", "fail"):
        graph.add_edge(terminal, END)
    return graph
