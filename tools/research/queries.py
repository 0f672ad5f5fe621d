"""Choose the search queries for a job from its anchor and the target page (pure)."""

from __future__ import annotations

import re

from schemas.evidence import PageEvidence
from tools.research.recorded import normalise_query

__all__ = ["derive_queries"]

_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]+$")


def _clean_title(text: str) -> str:
    # "Laddbox för villa | Elbolaget" -> "Laddbox för villa": the brand suffix is not the topic.
    text = _TITLE_SUFFIX.sub("", text.strip())
    return " ".join(text.split()[:8])


def derive_queries(anchor_text: str, target: PageEvidence, limit: int = 3) -> list[str]:
    """Return up to `limit` distinct queries: the anchor, then the target's H1 and title."""
    candidates = [anchor_text, _clean_title(target.h1), _clean_title(target.title)]
    queries: list[str] = []
    for candidate in candidates:
        query = normalise_query(candidate)
        if len(query) >= 3 and query not in queries:
            queries.append(query)
    return queries[:limit]
