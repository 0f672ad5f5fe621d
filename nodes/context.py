"""What every node receives at run time (LangGraph `Runtime[JobContext]`), and the ports it
talks to. Built per run by the caller; nothing here is a global."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from agents.chain import UsageSink
from agents.roles import RoleAgents
from schemas.article import ArticleDraft
from schemas.enums import Outcome
from schemas.qc import QCReport
from tools.research.base import ResearchProvider

__all__ = ["ArticleStore", "InMemoryArticleStore", "JobContext"]


class ArticleStore(Protocol):
    """Where drafts and final articles live (the state only keeps version numbers)."""

    async def save_version(self, draft: ArticleDraft, qc: QCReport | None = None) -> int:
        """Store one draft version of a job; return its version number (the iteration)."""
        ...

    async def load_version(self, job_id: str, version: int) -> ArticleDraft:
        """Return one stored draft version."""
        ...

    async def attach_qc(self, job_id: str, version: int, qc: QCReport) -> None:
        """Record the QC report of a stored version."""
        ...

    async def commit_final(
        self, job_id: str, version: int | None, outcome: Outcome, reasons: list[str]
    ) -> bool:
        """Record the job's final article and terminal outcome once; False if already final."""
        ...

    async def resolve_review(self, job_id: str, outcome: Outcome, reasons: list[str]) -> bool:
        """Turn a `needs_review` job into `passed` or `refused` on a reviewer's decision."""
        ...

    async def reopen(self, job_id: str) -> bool:
        """Take a `needs_review` job back to running, dropping its final article (revise)."""
        ...


@dataclass
class InMemoryArticleStore:
    """An `ArticleStore` for tests and single runs without a database."""

    versions: dict[tuple[str, int], ArticleDraft] = field(default_factory=dict)
    reports: dict[tuple[str, int], QCReport] = field(default_factory=dict)
    finals: dict[str, tuple[int | None, Outcome, list[str]]] = field(default_factory=dict)

    async def save_version(self, draft: ArticleDraft, qc: QCReport | None = None) -> int:
        self.versions[(draft.job_id, draft.iteration)] = draft
        if qc is not None:
            self.reports[(draft.job_id, draft.iteration)] = qc
        return draft.iteration

    async def load_version(self, job_id: str, version: int) -> ArticleDraft:
        return self.versions[(job_id, version)]

    async def attach_qc(self, job_id: str, version: int, qc: QCReport) -> None:
        self.reports[(job_id, version)] = qc

    async def commit_final(
        self, job_id: str, version: int | None, outcome: Outcome, reasons: list[str]
    ) -> bool:
        if job_id in self.finals:
            return False
        self.finals[job_id] = (version, outcome, list(reasons))
        return True

    async def resolve_review(self, job_id: str, outcome: Outcome, reasons: list[str]) -> bool:
        final = self.finals.get(job_id)
        if final is None or final[1] is not Outcome.needs_review:
            return False
        self.finals[job_id] = (final[0], outcome, list(reasons))
        return True

    async def reopen(self, job_id: str) -> bool:
        final = self.finals.get(job_id)
        if final is None or final[1] is not Outcome.needs_review:
            return False
        del self.finals[job_id]
        return True


@dataclass
class JobContext:
    """Run-scoped dependencies of the job graph."""

    agents: RoleAgents
    research: ResearchProvider
    articles: ArticleStore = field(default_factory=InMemoryArticleStore)
    budget: UsageSink | None = None
    # "sections": small completion-style models write by continuing a blueprint's headings.
    writer_mode: Literal["article", "sections"] = "article"
