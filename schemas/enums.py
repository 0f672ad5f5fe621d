"""Enumerations whose values are the Next-A1 contract (see shared/NEXT_A1.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CRITERION_WEIGHTS",
    "REGULATED_VERTICALS",
    "AlignmentLevel",
    "AnchorRisk",
    "AnchorType",
    "BridgeType",
    "Commerciality",
    "Criterion",
    "DataConfidence",
    "Intent",
    "Language",
    "Outcome",
    "PageArchetype",
    "QCStatus",
    "Role",
    "ToneClass",
    "TrustTier",
    "Vertical",
]


class Intent(StrEnum):
    info_primary = "info_primary"
    commercial_research = "commercial_research"
    transactional = "transactional"
    navigational_brand = "navigational_brand"
    support = "support"
    local = "local"
    mixed = "mixed"


class AlignmentLevel(StrEnum):
    aligned = "aligned"
    partial = "partial"
    off = "off"


class BridgeType(StrEnum):
    strong = "strong"
    pivot = "pivot"
    wrapper = "wrapper"


class ToneClass(StrEnum):
    academic = "academic"
    authority_public = "authority_public"
    consumer_magazine = "consumer_magazine"
    hobby_blog = "hobby_blog"


class Commerciality(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class AnchorType(StrEnum):
    exact = "exact"
    partial = "partial"
    brand = "brand"
    generic = "generic"


class AnchorRisk(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class PageArchetype(StrEnum):
    guide = "guide"
    comparison = "comparison"
    category = "category"
    product = "product"
    review = "review"
    tool = "tool"
    faq = "faq"
    news = "news"
    official = "official"
    other = "other"


class DataConfidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class TrustTier(StrEnum):
    T1_public = "T1_public"
    T2_academic = "T2_academic"
    T3_industry = "T3_industry"
    T4_media = "T4_media"


class Criterion(StrEnum):
    PREFLIGHT = "PREFLIGHT"
    DRAFT = "DRAFT"
    ANCHOR = "ANCHOR"
    TRUST = "TRUST"
    INTENT = "INTENT"
    LSI = "LSI"
    FIT = "FIT"
    COMPLIANCE = "COMPLIANCE"


CRITERION_WEIGHTS: dict[Criterion, float] = {
    Criterion.PREFLIGHT: 0.10,
    Criterion.DRAFT: 0.15,
    Criterion.ANCHOR: 0.15,
    Criterion.TRUST: 0.10,
    Criterion.INTENT: 0.15,
    Criterion.LSI: 0.10,
    Criterion.FIT: 0.15,
    Criterion.COMPLIANCE: 0.10,
}


class QCStatus(StrEnum):
    PASS = "PASS"
    WARNING = "WARNING"
    BLOCKED = "BLOCKED"


class Vertical(StrEnum):
    gambling = "gambling"
    finance = "finance"
    health = "health"
    legal = "legal"
    crypto = "crypto"
    general = "general"


REGULATED_VERTICALS = frozenset(
    {Vertical.gambling, Vertical.finance, Vertical.health, Vertical.legal, Vertical.crypto}
)


class Language(StrEnum):
    """Article languages bacowr writes and measures (LIX for Nordic, Flesch for English)."""

    sv = "sv"
    en = "en"
    no = "no"
    da = "da"


class Outcome(StrEnum):
    """Terminal outcome of one job."""

    passed = "passed"
    needs_review = "needs_review"
    refused = "refused"
    failed = "failed"


class Role(StrEnum):
    """LLM roles, each with its own prompt file and model chain."""

    researcher = "researcher"
    intent_sentinel = "intent_sentinel"
    writer = "writer"
    reviser = "reviser"
    qc_reviewer = "qc_reviewer"
