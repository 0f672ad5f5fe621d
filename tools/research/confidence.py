"""How much the Researcher can trust what research found (pure rules over the evidence)."""

from __future__ import annotations

from schemas.enums import DataConfidence
from schemas.evidence import ResearchEvidence

__all__ = [
    "HIGH_MIN_PUBLISHER_PAGES",
    "HIGH_MIN_SERP_HITS",
    "HIGH_MIN_SERP_SETS",
    "data_confidence",
]

HIGH_MIN_SERP_SETS = 2
HIGH_MIN_SERP_HITS = 3
HIGH_MIN_PUBLISHER_PAGES = 2


def data_confidence(evidence: ResearchEvidence) -> DataConfidence:
    """Rate the evidence from what was actually fetched.

    low: the target page failed or has no text, no search returned a result, or no publisher
    page was fetched. high: the target answered 200 with text in a detected language, at least
    two searches returned three results or more, and at least two publisher pages were fetched.
    Anything between is medium.
    """
    target = evidence.target
    serp_sizes = [len(serp.hits) for serp in evidence.serp]
    publisher_ok = sum(1 for page in evidence.publisher_pages if page.ok)
    if not target.ok or sum(serp_sizes) == 0 or publisher_ok == 0:
        return DataConfidence.low
    rich_sets = sum(1 for size in serp_sizes if size >= HIGH_MIN_SERP_HITS)
    if (
        target.language is not None
        and rich_sets >= HIGH_MIN_SERP_SETS
        and publisher_ok >= HIGH_MIN_PUBLISHER_PAGES
    ):
        return DataConfidence.high
    return DataConfidence.medium
