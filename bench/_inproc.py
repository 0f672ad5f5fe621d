"""In-process fake chat models that never run out: the LLM costs ~0, so what is left is
bacowr's own cost (graph, serialisation, checkpoints, ledger).

Every role answers the same scripted answer forever (the recorded villaliv.se job of
examples/research), so any number of jobs pass on the first draft: 4 LLM calls, 5 node steps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.messages import AIMessage

from agents.chain import ModelChain, ModelEndpoint, RetrySettings
from agents.prompts import PromptLoader
from agents.roles import RoleAgents, build_role_agents
from schemas.enums import Role
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import default_prompts_dir
from tests.fakes.llm import RaisingFakeChatModel, text, tool_call
from tests.fakes.scripts import JOB, RESEARCH_DIR, good_article, researcher, rubric, sentinel
from tools.research.cache import CachedResearchProvider
from tools.research.recorded import RecordedResearchProvider

__all__ = ["JOB", "RESEARCH_DIR", "endless_chains", "inproc_agents", "shared_research"]

CONSTRAINTS = GenerationConstraints()


def _answers() -> dict[Role, AIMessage]:
    return {
        Role.researcher: tool_call(researcher()),
        Role.intent_sentinel: tool_call(sentinel()),
        Role.writer: text(good_article()),
        Role.reviser: text(good_article()),
        Role.qc_reviewer: tool_call(rubric(90)),
    }


def endless_chains() -> dict[Role, ModelChain]:
    """Return one chain per role whose fake model repeats the role's answer forever."""

    async def no_sleep(_: float) -> None:
        return None

    chains: dict[Role, ModelChain] = {}
    for role, answer in _answers().items():
        model = RaisingFakeChatModel(messages=itertools.repeat(answer))
        chains[role] = ModelChain(
            [ModelEndpoint(name=f"fake-{role.value}", model=model)],
            retry=RetrySettings(attempts=1),
            sleep=no_sleep,
        )
    return chains


def inproc_agents(chains: dict[Role, ModelChain] | None = None) -> RoleAgents:
    """Return the role agents on the shipped prompts and the endless fakes."""
    return build_role_agents(PromptLoader(default_prompts_dir()), chains or endless_chains())


def shared_research() -> CachedResearchProvider:
    """Return the recorded research of examples/research behind an in-memory cache."""
    return CachedResearchProvider(RecordedResearchProvider(RESEARCH_DIR))


@contextmanager
def no_op() -> Iterator[Any]:
    """A context that does nothing (for uniform `with` blocks)."""
    yield None


def job_input() -> InputMinimal:
    """Return the recorded job's input (every bench job is a copy of it)."""
    return JOB
