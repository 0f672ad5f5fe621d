"""Pick a run's research source: a recorded snapshot directory, or the live web; cached."""

from __future__ import annotations

from pathlib import Path

from schemas.settings import Settings
from tools.research.base import ResearchProvider
from tools.research.cache import CachedResearchProvider, ResearchCache
from tools.research.live import build_live_provider
from tools.research.recorded import RecordedResearchProvider

__all__ = ["build_research"]


def build_research(
    settings: Settings, research_dir: Path | None = None, *, cache: ResearchCache | None = None
) -> CachedResearchProvider:
    """Return the shared research provider of a run; jobs use `provider.for_job()` views."""
    directory = research_dir or settings.research_dir
    inner: ResearchProvider = (
        RecordedResearchProvider(directory) if directory else build_live_provider(settings)
    )
    return CachedResearchProvider(inner, cache, ttl_s=settings.research_cache_ttl_s)
