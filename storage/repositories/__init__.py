"""Repositories: the only modules that hold SQL, one per aggregate."""

from storage.repositories.articles import OUTCOMES_WITH_ARTICLE, PostgresArticleStore
from storage.repositories.batches import BatchRepository
from storage.repositories.error_log import ErrorLogRepository
from storage.repositories.events import EventRepository
from storage.repositories.jobs import JobRepository
from storage.repositories.leases import LeaseRepository
from storage.repositories.research_cache import ResearchCacheRepository

__all__ = [
    "OUTCOMES_WITH_ARTICLE",
    "BatchRepository",
    "ErrorLogRepository",
    "EventRepository",
    "JobRepository",
    "LeaseRepository",
    "PostgresArticleStore",
    "ResearchCacheRepository",
]
