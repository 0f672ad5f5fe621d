"""Run one job end to end in memory (the `bacowr run-one` command)."""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from agents.prompts import PromptLoader
from agents.roles import build_role_agents
from graphs.job_graph import build_job_graph
from graphs.policy import JobPolicy
from graphs.serde import checkpoint_serde
from nodes.context import InMemoryArticleStore, JobContext
from schemas.article import ArticleDraft
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import Settings
from schemas.state import JobState
from services.job_runner import new_job_state, run_job
from services.llm_runtime import open_llm
from services.research_runtime import build_research

__all__ = ["run_one"]


async def run_one(
    settings: Settings,
    job: InputMinimal,
    constraints: GenerationConstraints,
    research_dir: Path | None = None,
) -> tuple[JobState, ArticleDraft | None]:
    """Run one job through the graph with an in-memory checkpointer; return state and article."""
    research = build_research(settings, research_dir)
    articles = InMemoryArticleStore()
    async with open_llm(settings) as llm:
        writer_mode = llm.writer_mode(settings)
        policy = JobPolicy.from_settings(settings, local_model=writer_mode == "sections")
        graph = build_job_graph(policy, settings.node_retry_attempts).compile(
            checkpointer=InMemorySaver(serde=checkpoint_serde())
        )
        agents = build_role_agents(PromptLoader(settings.prompts_dir), llm.chains)
        ctx = JobContext(
            agents=agents,
            research=research.for_job(),
            articles=articles,
            writer_mode=writer_mode,
        )
        state = await run_job(graph, new_job_state(job, constraints), ctx)
    article = None
    if state.draft_version is not None:
        article = await articles.load_version(state.job_id, state.draft_version)
    return state, article
