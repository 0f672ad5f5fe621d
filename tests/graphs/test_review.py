"""Human review through interrupt() and Command(resume=...) on the same thread."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agents.prompts import PromptLoader
from agents.roles import build_role_agents
from graphs.job_graph import build_job_graph
from graphs.serde import checkpoint_serde
from nodes.context import InMemoryArticleStore, JobContext
from schemas.enums import Outcome, Role
from schemas.settings import default_prompts_dir
from schemas.state import JobState
from services.job_runner import new_job_state
from tests.fakes.llm import fake_chains
from tests.fakes.scripts import JOB, RESEARCH_DIR, good_article, researcher, rubric, sentinel
from tools.research.recorded import RecordedResearchProvider


async def reach_review(reviser: list[Any], qc: list[Any]):  # type: ignore[no-untyped-def]
    """Run a job that plateaus into review; return graph, config, context and store."""
    scripts = {
        Role.researcher: [researcher()],
        Role.intent_sentinel: [sentinel()],
        Role.writer: [good_article()],
        Role.reviser: [good_article(), *reviser],
        Role.qc_reviewer: [rubric(0, "same"), rubric(0, "same"), *qc],
    }
    store = InMemoryArticleStore()
    ctx = JobContext(
        agents=build_role_agents(PromptLoader(default_prompts_dir()), fake_chains(scripts)),
        research=RecordedResearchProvider(RESEARCH_DIR),
        articles=store,
    )
    graph = build_job_graph().compile(checkpointer=InMemorySaver(serde=checkpoint_serde()))
    state = new_job_state(JOB)
    config: Any = {"configurable": {"thread_id": state.job_id}}
    result = await graph.ainvoke(state, config, context=ctx)
    assert "__interrupt__" in result
    assert store.finals[state.job_id][1] is Outcome.needs_review
    return graph, config, ctx, store, state.job_id


async def test_approve_passes_the_job_with_its_article() -> None:
    graph, config, ctx, store, job_id = await reach_review([], [])
    result = await graph.ainvoke(
        Command(resume={"action": "approve", "notes": "ok"}), config, context=ctx
    )
    state = JobState.model_validate({k: v for k, v in result.items() if k != "__interrupt__"})
    assert state.outcome is Outcome.passed
    assert store.finals[job_id][1] is Outcome.passed
    assert store.finals[job_id][0] == 1  # the reviewed version is the one delivered


async def test_reject_refuses_the_job() -> None:
    graph, config, ctx, store, job_id = await reach_review([], [])
    await graph.ainvoke(
        Command(resume={"action": "reject", "notes": "off brand"}), config, context=ctx
    )
    assert store.finals[job_id][1] is Outcome.refused
    assert "rejected by reviewer: off brand" in store.finals[job_id][2]


async def test_revise_with_notes_runs_the_reviser_again_on_the_same_thread() -> None:
    graph, config, ctx, store, job_id = await reach_review([good_article()], [rubric(95)])
    result = await graph.ainvoke(
        Command(resume={"action": "revise", "notes": "kortare intro"}), config, context=ctx
    )
    state = JobState.model_validate(result)
    assert state.outcome is Outcome.passed
    assert state.iteration == 2
    assert state.review_notes == "kortare intro"
    assert store.finals[job_id][:2] == (2, Outcome.passed)


async def test_a_bad_decision_fails_validation() -> None:
    graph, config, ctx, _, _ = await reach_review([], [])
    with pytest.raises(Exception, match="action"):
        await graph.ainvoke(Command(resume={"action": "publish"}), config, context=ctx)
