"""Wiring for graph tests: the real graph, in-memory checkpoints, recorded research, fakes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agents.prompts import PromptLoader
from agents.roles import build_role_agents
from graphs.job_graph import build_job_graph
from graphs.policy import JobPolicy
from graphs.serde import checkpoint_serde
from nodes.context import InMemoryArticleStore, JobContext
from schemas.enums import Role
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import default_prompts_dir
from schemas.state import JobState
from services.job_runner import new_job_state, run_job
from tests.fakes.llm import Answer, fake_chains
from tests.fakes.scripts import JOB, RESEARCH_DIR
from tools.research.base import ResearchProvider
from tools.research.recorded import RecordedResearchProvider


@dataclass
class GraphRun:
    state: JobState
    articles: InMemoryArticleStore
    chains: dict[Role, Any]

    def calls(self, role: Role) -> int:
        return self.state.usage_for(role).calls


RunGraph = Callable[..., Awaitable[GraphRun]]


@pytest.fixture
def run_graph() -> RunGraph:
    """Run one job through the real graph with scripted role answers."""

    async def run(
        scripts: Mapping[Role, Iterable[Answer]],
        *,
        job: InputMinimal = JOB,
        research: ResearchProvider | None = None,
        policy: JobPolicy | None = None,
        constraints: GenerationConstraints | None = None,
    ) -> GraphRun:
        chains = fake_chains(scripts)
        articles = InMemoryArticleStore()
        ctx = JobContext(
            agents=build_role_agents(PromptLoader(default_prompts_dir()), chains),
            research=research or RecordedResearchProvider(RESEARCH_DIR),
            articles=articles,
        )
        saver = InMemorySaver(serde=checkpoint_serde())
        graph = build_job_graph(policy or JobPolicy()).compile(checkpointer=saver)
        state = await run_job(graph, new_job_state(job, constraints), ctx)
        return GraphRun(state=state, articles=articles, chains=chains)

    return run
