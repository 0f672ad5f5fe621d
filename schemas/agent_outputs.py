"""Structured outputs of the LLM roles: what each role is asked to judge, nothing more.

Everything that can be read off the evidence (titles, status codes, languages, counts) is filled
by code; the models below hold only what needs judgement, which keeps them small enough for
small local models to meet.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import (
    AlignmentLevel,
    AnchorType,
    BridgeType,
    Commerciality,
    Intent,
    PageArchetype,
    ToneClass,
)

__all__ = [
    "AnchorJudgement",
    "PublisherJudgement",
    "ResearcherOutput",
    "SentinelOutput",
    "SerpSetJudgement",
    "TargetJudgement",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Bounded strings: a JSON-schema grammar then stops a small model's free text from running on
# until the token limit.
Term = Annotated[str, Field(max_length=80)]
Short = Annotated[str, Field(max_length=240)]
Note = Annotated[str, Field(max_length=500)]


class TargetJudgement(_Model):
    core_entities: list[Term] = Field(default_factory=list, max_length=12)
    core_topics: list[Term] = Field(default_factory=list, max_length=12)
    core_offer: Short = ""
    candidate_main_queries: list[Term] = Field(default_factory=list, max_length=5)


class PublisherJudgement(_Model):
    topic_focus: list[Term] = Field(default_factory=list, max_length=8)
    audience: Short = ""
    tone_class: ToneClass
    allowed_commerciality: Commerciality
    brand_safety_notes: Note = ""


class AnchorJudgement(_Model):
    type: AnchorType
    implied_intent: Intent


class SerpSetJudgement(_Model):
    query: Short
    dominant_intent: Intent
    secondary_intents: list[Intent] = Field(default_factory=list, max_length=3)
    page_archetypes: list[PageArchetype] = Field(default_factory=list, max_length=5)
    required_subtopics: list[Term] = Field(default_factory=list, max_length=8)


class ResearcherOutput(_Model):
    target: TargetJudgement
    publisher: PublisherJudgement
    anchor: AnchorJudgement
    serp_sets: list[SerpSetJudgement] = Field(default_factory=list, max_length=4)
    queries_rationale: Note = ""


class SentinelOutput(_Model):
    serp_intent_primary: Intent
    serp_intent_secondary: list[Intent] = Field(default_factory=list, max_length=3)
    target_page_intent: Intent
    anchor_implied_intent: Intent
    publisher_role_intent: Intent
    anchor_vs_serp: AlignmentLevel
    target_vs_serp: AlignmentLevel
    publisher_vs_serp: AlignmentLevel
    overall: AlignmentLevel
    recommended_bridge_type: BridgeType
    recommended_article_angle: Short = ""
    required_subtopics: list[Term] = Field(default_factory=list, max_length=8)
    forbidden_angles: list[Term] = Field(default_factory=list, max_length=6)
    rationale: Note = ""
