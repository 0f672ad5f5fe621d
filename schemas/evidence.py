"""Evidence gathered by research tools: fetched pages and SERP results."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PageEvidence", "ResearchEvidence", "SerpEvidence", "SerpHit"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageEvidence(_Model):
    """One fetched and extracted page; `error` is set when it could not be fetched."""

    url: str
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    title: str = ""
    meta_description: str = ""
    h1: str = ""
    h2_h3: list[str] = Field(default_factory=list)
    main_text: str = ""
    language: str | None = None
    links: list[str] = Field(default_factory=list)
    fetched_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the page answered 200 with some text."""
        return self.error is None and self.http_status == 200 and bool(self.main_text.strip())


class SerpHit(_Model):
    rank: int = Field(ge=1)
    url: str
    title: str = ""
    snippet: str = ""


class SerpEvidence(_Model):
    query: str
    language: str = "sv"
    provider: str = "recorded"
    hits: list[SerpHit] = Field(default_factory=list)
    error: str | None = None


class ResearchEvidence(_Model):
    """Everything research found for one job, before the Researcher LLM reads it."""

    target: PageEvidence
    publisher_pages: list[PageEvidence] = Field(default_factory=list)
    serp: list[SerpEvidence] = Field(default_factory=list)
    cache_hits: list[str] = Field(default_factory=list)
