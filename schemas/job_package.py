"""The Next-A1 job package: input, research profiles and the Intent Sentinel's verdict."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas._types import AnchorText, Domain, HttpUrlStr, NonEmptyStr
from schemas.enums import (
    AlignmentLevel,
    AnchorType,
    BridgeType,
    Commerciality,
    DataConfidence,
    Intent,
    Language,
    PageArchetype,
    ToneClass,
    Vertical,
)

__all__ = [
    "SPEC_VERSION",
    "AnchorProfile",
    "GenerationConstraints",
    "InputMinimal",
    "IntentAlignment",
    "IntentExtension",
    "IntentNotes",
    "JobMeta",
    "JobPackage",
    "PublisherProfile",
    "SerpResearchExtension",
    "SerpResultSample",
    "SerpSet",
    "TargetProfile",
]

SPEC_VERSION = "A1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class JobMeta(_Model):
    job_id: NonEmptyStr
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    spec_version: str = SPEC_VERSION


class InputMinimal(_Model):
    publisher_domain: Domain = Field(examples=["villaliv.se"])
    target_url: HttpUrlStr = Field(examples=["https://www.example.se/elbil/laddbox"])
    anchor_text: AnchorText = Field(examples=["laddbox till villan"])


class GenerationConstraints(_Model):
    language: Language = Language.sv
    min_word_count: int = Field(default=900, ge=100, le=5000)
    max_anchor_usages: int = Field(default=2, ge=1, le=5)
    tone: ToneClass | None = None
    vertical: Vertical | None = None


class PublisherProfile(_Model):
    domain: Domain
    sample_urls: list[HttpUrlStr] = Field(default_factory=list)
    about_excerpt: str = ""
    detected_language: str = ""
    topic_focus: list[str] = Field(default_factory=list)
    audience: str = ""
    tone_class: ToneClass
    allowed_commerciality: Commerciality = Commerciality.medium
    brand_safety_notes: str = ""


class TargetProfile(_Model):
    url: HttpUrlStr
    http_status: int | None = None
    title: str = ""
    meta_description: str = ""
    h1: str = ""
    h2_h3_sample: list[str] = Field(default_factory=list)
    main_content_excerpt: str = ""
    detected_language: str = ""
    core_entities: list[str] = Field(default_factory=list)
    core_topics: list[str] = Field(default_factory=list)
    core_offer: str = ""
    candidate_main_queries: list[str] = Field(default_factory=list)


class AnchorProfile(_Model):
    proposed_text: str
    type_hint: AnchorType | None = None
    type: AnchorType
    implied_intent: Intent


class SerpResultSample(_Model):
    rank: int = Field(ge=1)
    url: HttpUrlStr
    title: str = ""
    detected_page_type: PageArchetype = PageArchetype.other
    snippet: str = ""
    key_entities: list[str] = Field(default_factory=list)
    key_subtopics: list[str] = Field(default_factory=list)


class SerpSet(_Model):
    query: str
    dominant_intent: Intent
    secondary_intents: list[Intent] = Field(default_factory=list)
    page_archetypes: list[PageArchetype] = Field(default_factory=list)
    required_subtopics: list[str] = Field(default_factory=list)
    top_results_sample: list[SerpResultSample] = Field(default_factory=list)


class SerpResearchExtension(_Model):
    main_query: str
    cluster_queries: list[str] = Field(default_factory=list)
    queries_rationale: str = ""
    serp_sets: list[SerpSet] = Field(default_factory=list)
    data_confidence: DataConfidence


class IntentAlignment(_Model):
    anchor_vs_serp: AlignmentLevel
    target_vs_serp: AlignmentLevel
    publisher_vs_serp: AlignmentLevel
    overall: AlignmentLevel


class IntentNotes(_Model):
    rationale: str = ""
    data_confidence: DataConfidence


class IntentExtension(_Model):
    serp_intent_primary: Intent
    serp_intent_secondary: list[Intent] = Field(default_factory=list)
    target_page_intent: Intent
    anchor_implied_intent: Intent
    publisher_role_intent: Intent
    intent_alignment: IntentAlignment
    recommended_bridge_type: BridgeType
    recommended_article_angle: str = ""
    required_subtopics: list[str] = Field(default_factory=list)
    forbidden_angles: list[str] = Field(default_factory=list)
    notes: IntentNotes


class JobPackage(_Model):
    """One job, from its three inputs to the complete package the Writer and QC read."""

    job_meta: JobMeta
    input_minimal: InputMinimal
    generation_constraints: GenerationConstraints = Field(default_factory=GenerationConstraints)
    publisher_profile: PublisherProfile | None = None
    target_profile: TargetProfile | None = None
    anchor_profile: AnchorProfile | None = None
    serp_research_extension: SerpResearchExtension | None = None
    intent_extension: IntentExtension | None = None

    @property
    def is_complete(self) -> bool:
        """Return True when research and the sentinel have filled every section."""
        return None not in (
            self.publisher_profile,
            self.target_profile,
            self.anchor_profile,
            self.serp_research_extension,
            self.intent_extension,
        )
