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
    "normalise_article",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleText(_Model):
    """What the Writer and Reviser return: one markdown article that starts with an H1."""

    markdown: str = Field(min_length=1)

    @field_validator("markdown")
    @classmethod
    def _starts_with_h1(cls, value: str) -> str:
        return normalise_article(value) + "\n"


def normalise_article(text: str) -> str:
    """Return the article from a model's answer, starting at its level-1 heading.

    Models fence their answer or chat before it ("Here is the article:"): both are dropped.
    When there is no '# ' heading but the first line reads like a title, it becomes the H1.

    Raises:
        ValueError: no title can be found.
    """
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`").strip()
        text = text.removeprefix("markdown").removeprefix("md").strip()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[index:]).strip()
    first = next((line.strip() for line in lines if line.strip()), "")
    title = first.lstrip("#").strip().strip("*").strip()
    title = title.removeprefix("Title:").removeprefix("Titel:").strip()
    if title and len(title) <= 120 and not title.endswith((".", ":")):
        rest = "\n".join(lines[lines.index(next(ln for ln in lines if ln.strip())) + 1 :])
        return f"# {title}\n\n{rest.strip()}".strip()
    raise ValueError("the article must start with a level-1 heading ('# Title')")


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
