"""Replay research recorded in a snapshot directory (offline demo, tests, prompt tuning).

A snapshot directory holds any number of `*.json` files, each shaped like::

    {"pages": {"<url>": PageEvidence, ...},
     "publishers": {"<domain>": ["<url>", ...]},
     "serp": [SerpEvidence, ...]}

All files are merged, so one directory can serve many jobs. A page or query that was not
recorded comes back as evidence with `error` set, exactly as a failed live fetch would.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.errors import ResearchError
from schemas.evidence import PageEvidence, SerpEvidence

__all__ = ["RecordedResearchProvider", "Snapshot", "normalise_query"]


class Snapshot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pages: dict[str, PageEvidence] = Field(default_factory=dict)
    publishers: dict[str, list[str]] = Field(default_factory=dict)
    serp: list[SerpEvidence] = Field(default_factory=list)


def normalise_query(query: str) -> str:
    """Return the key a query is recorded under (case and spacing do not matter)."""
    return " ".join(query.lower().split())


def _normalise_url(url: str) -> str:
    return url.rstrip("/")


class RecordedResearchProvider:
    """A `ResearchProvider` that reads a snapshot directory."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise ResearchError(f"research snapshot directory {directory} does not exist")
        self._pages: dict[str, PageEvidence] = {}
        self._publishers: dict[str, list[str]] = {}
        self._serp: dict[tuple[str, str], SerpEvidence] = {}
        for path in sorted(directory.glob("*.json")):
            try:
                snap = Snapshot.model_validate(json.loads(path.read_text(encoding="utf-8")))
            except (ValidationError, json.JSONDecodeError) as exc:
                raise ResearchError(f"bad research snapshot {path.name}: {exc}") from exc
            for url, page in snap.pages.items():
                self._pages[_normalise_url(url)] = page
            for domain, urls in snap.publishers.items():
                self._publishers[domain.lower().removeprefix("www.")] = urls
            for serp in snap.serp:
                self._serp[(normalise_query(serp.query), serp.language)] = serp

    async def fetch_page(self, url: str) -> PageEvidence:
        """Return the recorded page, or evidence with an error when it was not recorded."""
        page = self._pages.get(_normalise_url(url))
        if page is None:
            return PageEvidence(url=url, error="not in the research snapshot")
        return page

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        """Return the recorded pages of a publisher (home, about, articles)."""
        urls = self._publishers.get(domain.lower().removeprefix("www."), [])
        return [await self.fetch_page(u) for u in urls[:limit]]

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Return the recorded results for a query, or an empty result with an error."""
        hit = self._serp.get((normalise_query(query), language))
        if hit is None:
            return SerpEvidence(
                query=query, language=language, error="query not in the research snapshot"
            )
        return hit
