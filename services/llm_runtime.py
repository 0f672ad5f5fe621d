"""Resolve the model endpoints for a run: configured providers, or the embedded local model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

import httpx

from agents.chain import ModelChain
from agents.factory import build_chains
from agents.limits import GuardRegistry
from schemas.enums import Role
from schemas.settings import Settings
from tools.local_llm import LocalModelServer, local_model_server, recommended_model_kwargs

__all__ = ["LLMRuntime", "needs_local_model", "open_llm"]


@dataclass
class LLMRuntime:
    chains: dict[Role, ModelChain]
    guards: GuardRegistry
    local: LocalModelServer | None = None

    def writer_mode(self, settings: Settings) -> Literal["article", "sections"]:
        """Resolve `writer_mode=auto`: sections for the embedded local model only."""
        if settings.writer_mode != "auto":
            return settings.writer_mode
        return "sections" if self.local is not None else "article"


def needs_local_model(settings: Settings) -> bool:
    """True when some role's endpoint has no base URL: the embedded local model serves it."""
    return any(ep.base_url is None for role in Role for ep in settings.endpoint_chain(role))


@asynccontextmanager
async def open_llm(
    settings: Settings, guards: GuardRegistry | None = None
) -> AsyncIterator[LLMRuntime]:
    """Yield every role's model chain, starting (or joining) the local model when needed."""
    guards = guards or GuardRegistry(
        failure_threshold=settings.breaker_failure_threshold, cooldown_s=settings.breaker_cooldown_s
    )
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(limits=limits) as client:
        if not needs_local_model(settings):
            chains = build_chains(settings, guards=guards, http_client=client)
            yield LLMRuntime(chains=chains, guards=guards)
            return
        async with _local_runtime(settings, guards, client) as runtime:
            yield runtime


@asynccontextmanager
async def _local_runtime(
    settings: Settings, guards: GuardRegistry, client: httpx.AsyncClient
) -> AsyncIterator[LLMRuntime]:
    server = local_model_server(settings)
    await server.ensure_running()
    try:
        chains = build_chains(
            settings,
            default_base_url=server.base_url,
            default_model=server.model_name,
            extra_body=recommended_model_kwargs(),
            json_extra={
                "extra_body": recommended_model_kwargs(structured=True),
                "temperature": 0.25,
            },
            guards=guards,
            local_timeout_s=settings.local_llm_timeout_s,
            http_client=client,
        )
        yield LLMRuntime(chains=chains, guards=guards, local=server)
    finally:
        if server.owns_process:
            await server.stop()
