"""The research provider interface every source of evidence implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from schemas.evidence import PageEvidence, SerpEvidence

__all__ = ["ResearchProvider"]


@runtime_checkable
class ResearchProvider(Protocol):
    """Where research evidence comes from: the live web, a recorded snapshot, or a cache.

    Implementations never raise for an unreachable or refused page or a failed search: they
    return evidence with `error` set, so research confidence reflects what was really found.
    """

    async def fetch_page(self, url: str) -> PageEvidence:
        """Fetch and extract one page."""
        ...

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        """Return the publisher's home page, about page and a few recent articles."""
        ...

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Return the top organic results for one query."""
        ...
