"""The process's long-lived parts, built once and injected: database, checkpointer, compiled
graph, model chains, shared research cache and the repositories."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from langgraph.graph.state import CompiledStateGraph

from agents.chain import ModelChain
from agents.limits import GuardRegistry
from agents.prompts import PromptLoader
from agents.roles import RoleAgents, build_role_agents
from graphs.job_graph import build_job_graph
from graphs.policy import JobPolicy
from graphs.serde import checkpoint_serde
from schemas.enums import Role
from schemas.settings import Settings
from services.llm_runtime import open_llm
from services.research_runtime import build_research
from storage.checkpointer import open_checkpointer
from storage.database import resolve_database
from storage.migrations import upgrade
from storage.pool import create_pool
from storage.repositories.articles import PostgresArticleStore
from storage.repositories.batches import BatchRepository
from storage.repositories.error_log import ErrorLogRepository
from storage.repositories.events import EventRepository
from storage.repositories.jobs import JobRepository
from storage.repositories.leases import LeaseRepository
from storage.research_cache import PostgresResearchCache
from tools.research.cache import CachedResearchProvider

__all__ = ["AppRuntime", "open_runtime"]


@dataclass
class AppRuntime:
    settings: Settings
    database_url: str
    graph: CompiledStateGraph[Any, Any, Any, Any]
    agents: RoleAgents | None
    guards: GuardRegistry
    research: CachedResearchProvider
    prompts: PromptLoader
    jobs: JobRepository
    leases: LeaseRepository
    batches: BatchRepository
    events: EventRepository
    errors: ErrorLogRepository
    articles: PostgresArticleStore
    pool: Any
    writer_mode: Literal["article", "sections"] = "article"


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    chains: dict[Role, ModelChain] | None = None,
    research: CachedResearchProvider | None = None,
    pool_size: int = 10,
    with_llm: bool = True,
) -> AsyncIterator[AppRuntime]:
    """Open everything a worker or the API needs; close it all on exit.

    Starts (or joins) the embedded PostgreSQL when no database is configured, migrates it,
    sets up the checkpointer, and starts (or joins) the local model when no provider is set.
    `chains` replaces the configured model chains (tests inject fakes here); `with_llm=False`
    opens only the database side (for status, cancel and export commands).
    """
    async with AsyncExitStack() as stack:
        db = await resolve_database(settings)
        await asyncio.to_thread(upgrade, db.url)
        pool = await create_pool(db.url, max_size=pool_size)
        stack.push_async_callback(pool.close)
        saver = await stack.enter_async_context(
            open_checkpointer(db.url, max_size=pool_size, serde=checkpoint_serde())
        )
        guards = GuardRegistry(
            failure_threshold=settings.breaker_failure_threshold,
            cooldown_s=settings.breaker_cooldown_s,
        )
        writer_mode: Literal["article", "sections"] = (
            "article" if settings.writer_mode == "auto" else settings.writer_mode
        )
        if chains is None and with_llm:
            llm = await stack.enter_async_context(open_llm(settings, guards))
            chains = llm.chains
            writer_mode = llm.writer_mode(settings)
        prompts = PromptLoader(settings.prompts_dir)
        policy = JobPolicy.from_settings(settings, local_model=writer_mode == "sections")
        graph = build_job_graph(policy, settings.node_retry_attempts).compile(checkpointer=saver)
        yield AppRuntime(
            settings=settings,
            database_url=db.url,
            graph=graph,
            agents=build_role_agents(prompts, chains) if chains is not None else None,
            guards=guards,
            research=research or build_research(settings, cache=PostgresResearchCache(pool)),
            prompts=prompts,
            jobs=JobRepository(pool),
            leases=LeaseRepository(pool),
            batches=BatchRepository(pool),
            events=EventRepository(pool),
            errors=ErrorLogRepository(pool),
            articles=PostgresArticleStore(pool),
            pool=pool,
            writer_mode=writer_mode,
        )
