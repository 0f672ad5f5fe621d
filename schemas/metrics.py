"""Deterministic measurements of one article against its job package (input to QC scoring).

Indices are 0-based: section 0 is the intro (H1 and text before the first H2), sections 1..n are
the H2 sections in order; paragraph indices count body blocks (paragraphs and list items) within
one section, so Next-A1's "paragraph 1-2" is index 0-1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import Language, TrustTier, Vertical

__all__ = [
    "ArticleMetrics",
    "ComplianceMetrics",
    "IntentMetrics",
    "LanguageMetrics",
    "LinkLocation",
    "LinkMetric",
    "LsiMetrics",
    "PiiHit",
    "ReadabilityMetrics",
    "StructureMetrics",
    "TargetLinkMetrics",
    "TrustMetrics",
]

LinkLocation = Literal["h1", "h2", "h3", "heading", "paragraph", "list_item", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StructureMetrics(_Model):
    title: str | None = Field(default=None, description="Text of the first H1, if any.")
    h1_count: int = 0
    h2_titles: list[str] = Field(default_factory=list)
    h3_count: int = 0
    paragraph_count: int = Field(default=0, description="Prose paragraphs (list items excluded).")
    list_item_count: int = 0
    word_count: int = Field(default=0, description="Words in headings and body, URLs excluded.")
    sentence_count: int = 0
    paragraphs_with_several_links: list[str] = Field(
        default_factory=list, examples=[["section 2 'Laddning', paragraph 1: 2 links"]]
    )


class LinkMetric(_Model):
    text: str
    url: str
    domain: str
    location: LinkLocation
    section_index: int
    paragraph_index: int | None = Field(default=None, description="None for links in headings.")
    offset_chars: int = Field(description="Character offset of the link in the markdown source.")
    is_target: bool = False
    trust_tier: TrustTier | None = None
    unrequested: bool = Field(
        default=False, description="A link the job did not ask for (unknown or UGC domain)."
    )
    reason: str = Field(default="", description="Why the link is flagged, when it is.")


class TargetLinkMetrics(_Model):
    link_count: int = Field(default=0, description="Links to the target URL (1 is required).")
    found: bool = False
    link_text: str | None = None
    anchor_text_matches: bool = False
    location: LinkLocation | None = None
    heading_text: str | None = Field(default=None, description="The heading holding the link.")
    section_index: int | None = None
    section_title: str | None = None
    paragraph_index_in_section: int | None = None
    offset_chars: int | None = None
    in_middle_section: bool = False
    context_sentences: int = Field(default=0, description="Other sentences in its paragraph.")
    other_links_in_paragraph: int = 0
    anchor_link_uses: int = Field(default=0, description="Links whose text is the anchor.")
    anchor_text_mentions: int = Field(default=0, description="Plain-text uses outside links.")
    anchor_uses_in_link_section: int = 0
    target_domain_other_links: list[str] = Field(default_factory=list)

    @property
    def anchor_usages(self) -> int:
        """Return every use of the anchor text, linked or not."""
        return self.anchor_link_uses + self.anchor_text_mentions


class TrustMetrics(_Model):
    trust_link_count: int = 0
    tiers: list[TrustTier] = Field(default_factory=list, description="Distinct tiers, best first.")
    trust_domains: list[str] = Field(default_factory=list)
    placeholders: list[str] = Field(
        default_factory=list, description="Sentences holding a PLATSFÖRSLAG placeholder."
    )
    unrequested_links: list[str] = Field(default_factory=list, description="URLs flagged.")


class LsiMetrics(_Model):
    candidates: list[str] = Field(default_factory=list)
    window_sentences: int = 0
    found: list[str] = Field(default_factory=list)
    count: int = 0
    distinct_roots: int = 0
    repeated_roots: list[str] = Field(default_factory=list)
    anchor_word_repeats: dict[str, int] = Field(
        default_factory=dict, description="Anchor words repeated in the window outside the link."
    )


class IntentMetrics(_Model):
    subtopics_covered: list[str] = Field(default_factory=list)
    subtopics_missing: list[str] = Field(default_factory=list)
    forbidden_found: list[str] = Field(default_factory=list)


class ReadabilityMetrics(_Model):
    metric: Literal["lix", "flesch"]
    value: float
    target_range: tuple[float, float]
    words: int
    sentences: int


class LanguageMetrics(_Model):
    expected: Language
    detected: str
    confidence: float

    @property
    def matches(self) -> bool:
        """Return True when the detected language is the job's language."""
        return self.detected == self.expected.value


class PiiHit(_Model):
    kind: Literal["email", "phone", "personnummer"]
    redacted: str


class ComplianceMetrics(_Model):
    vertical: Vertical | None = None
    required: list[str] = Field(default_factory=list, examples=[["age_18", "helpline"]])
    found: list[str] = Field(default_factory=list, description="Found in the closing part.")
    found_outside_closing: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    pii: list[PiiHit] = Field(default_factory=list)


class ArticleMetrics(_Model):
    """Everything QC measures without judgement, compact and JSON-serialisable."""

    thresholds_version: Literal["A1"] = "A1"
    structure: StructureMetrics
    links: list[LinkMetric] = Field(default_factory=list)
    target: TargetLinkMetrics
    trust: TrustMetrics
    lsi: LsiMetrics
    intent: IntentMetrics
    readability: ReadabilityMetrics
    language: LanguageMetrics
    compliance: ComplianceMetrics
