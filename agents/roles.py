"""The five role agents of a job, built from a prompt loader and one model chain per role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agents.chain import ModelChain
from agents.prompts import PromptLoader
from agents.role_agent import RoleAgent
from schemas.agent_outputs import ResearcherOutput, SentinelOutput
from schemas.article import ArticleText
from schemas.enums import Role
from schemas.errors import ConfigError
from schemas.qc import QCRubric

__all__ = ["RoleAgents", "build_role_agents"]


@dataclass(frozen=True)
class RoleAgents:
    researcher: RoleAgent[ResearcherOutput]
    intent_sentinel: RoleAgent[SentinelOutput]
    writer: RoleAgent[ArticleText]
    reviser: RoleAgent[ArticleText]
    qc_reviewer: RoleAgent[QCRubric]


def build_role_agents(prompts: PromptLoader, chains: Mapping[Role, ModelChain]) -> RoleAgents:
    """Build every role's agent; raise ConfigError when a role has no model chain."""
    missing = [r.value for r in Role if r not in chains]
    if missing:
        raise ConfigError(f"no model chain for roles {missing}")
    return RoleAgents(
        researcher=RoleAgent(Role.researcher, prompts, chains[Role.researcher], ResearcherOutput),
        intent_sentinel=RoleAgent(
            Role.intent_sentinel, prompts, chains[Role.intent_sentinel], SentinelOutput
        ),
        writer=RoleAgent(Role.writer, prompts, chains[Role.writer], ArticleText, "markdown"),
        reviser=RoleAgent(Role.reviser, prompts, chains[Role.reviser], ArticleText, "markdown"),
        qc_reviewer=RoleAgent(Role.qc_reviewer, prompts, chains[Role.qc_reviewer], QCRubric),
    )
