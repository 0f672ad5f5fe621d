"""The article draft and the extensions Next-A1 records with each article (section 13)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.enums import AnchorRisk, AnchorType, BridgeType, TrustTier

__all__ = [
    "AnchorSwap",
    "ArticleDraft",
    "ArticleText",
    "ComplianceInfo",
    "LinksExtension",
    "NearWindow",
    "NotesObservability",
    "Placement",
    "QCExtension",
    "Readability",
    "TrustPolicy",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleText(_Model):
    """What the Writer and Reviser return: one markdown article that starts with an H1."""

    markdown: str = Field(min_length=1)

    @field_validator("markdown")
    @classmethod
    def _starts_with_h1(cls, value: str) -> str:
        text = value.strip()
        if text.startswith("```"):
            # Small models like to fence their answer; the fence is not part of the article.
            text = text.strip("`").removeprefix("markdown").strip()
        if not text.lstrip().startswith("# "):
            raise ValueError("the article must start with a level-1 heading ('# Title')")
        return text + "\n"


class AnchorSwap(_Model):
    performed: bool = False
    from_type: AnchorType | None = None
    to_type: AnchorType | None = None
    rationale: str = ""


class NearWindow(_Model):
    unit: Literal["sentence"] = "sentence"
    radius: int = 2
    lsi_count: int = 0


class Placement(_Model):
    paragraph_index_in_section: int | None = None
    offset_chars: int | None = None
    near_window: NearWindow = Field(default_factory=NearWindow)


class TrustPolicy(_Model):
    level: list[TrustTier] = Field(default_factory=list)
    fallback_used: bool = False
    unresolved: list[str] = Field(default_factory=list)


class ComplianceInfo(_Model):
    disclaimers_injected: list[str] = Field(default_factory=list)


class LinksExtension(_Model):
    bridge_type: BridgeType
    bridge_theme: str = ""
    anchor_swap: AnchorSwap = Field(default_factory=AnchorSwap)
    placement: Placement = Field(default_factory=Placement)
    trust_policy: TrustPolicy = Field(default_factory=TrustPolicy)
    compliance: ComplianceInfo = Field(default_factory=ComplianceInfo)


class Readability(_Model):
    lix: float | None = None
    flesch: float | None = None
    target_range: tuple[float, float]


class NotesObservability(_Model):
    signals_used: list[
        Literal["target_entities", "publisher_profile", "SERP_intent", "trust_source", "blueprint"]
    ] = Field(default_factory=list)
    autofix_done: bool = False


class QCExtension(_Model):
    anchor_risk: AnchorRisk
    readability: Readability
    thresholds_version: Literal["A1"] = "A1"
    notes_observability: NotesObservability = Field(default_factory=NotesObservability)


class ArticleDraft(_Model):
    """One version of the article with the links extension derived from it."""

    job_id: str
    iteration: int = Field(ge=0)
    markdown: str
    links_extension: LinksExtension
    autofixes: list[str] = Field(
        default_factory=list, description="Next-A1 §11 fixes code applied to the model's text."
    )
