"""Articles: draft versions per iteration and each job's one final article.

`PostgresArticleStore` implements the `ArticleStore` port of nodes/context.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from schemas.article import ArticleDraft
from schemas.enums import Outcome
from schemas.qc import QCReport
from storage.errors import ArticleVersionNotFoundError, JobNotFoundError
from storage.pool import Pool
from storage.records import TERMINAL_STATUSES, ArticleVersion, FinalArticle, JobStatus

__all__ = ["OUTCOMES_WITH_ARTICLE", "PostgresArticleStore"]

# Refused and failed jobs end without an article; the articles table's CHECK agrees.
OUTCOMES_WITH_ARTICLE = frozenset({Outcome.passed, Outcome.needs_review})


class PostgresArticleStore:
    """All SQL on `article_versions` and `articles`, and the job's terminal transition."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def save_version(self, draft: ArticleDraft, qc: QCReport | None = None) -> int:
        """Store a draft as version `draft.iteration`, replacing any earlier save of it.

        A node re-run after a crash overwrites its version instead of adding one; a re-saved
        text also replaces the old QC report, which no longer applies to it.

        Raises:
            JobNotFoundError: the draft's job does not exist.
        """
        try:
            await self._pool.execute(
                """
                INSERT INTO article_versions
                    (job_id, iteration, markdown, links_extension, qc_report, qc_score)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (job_id, iteration) DO UPDATE SET
                    markdown = EXCLUDED.markdown,
                    links_extension = EXCLUDED.links_extension,
                    qc_report = EXCLUDED.qc_report,
                    qc_score = EXCLUDED.qc_score,
                    created_at = now()
                """,
                draft.job_id,
                draft.iteration,
                draft.markdown,
                draft.links_extension.model_dump(mode="json"),
                None if qc is None else qc.model_dump(mode="json"),
                None if qc is None else qc.overall,
            )
        except asyncpg.ForeignKeyViolationError as exc:
            raise JobNotFoundError(draft.job_id) from exc
        return draft.iteration

    async def get_version(self, job_id: str, version: int) -> ArticleVersion:
        """Return one stored version with its QC report.

        Raises:
            ArticleVersionNotFoundError: no such version.
        """
        row = await self._pool.fetchrow(
            "SELECT * FROM article_versions WHERE job_id = $1 AND iteration = $2", job_id, version
        )
        if row is None:
            raise ArticleVersionNotFoundError(job_id, version)
        return ArticleVersion.from_row(row)

    async def load_version(self, job_id: str, version: int) -> ArticleDraft:
        """Return one stored draft (raises ArticleVersionNotFoundError)."""
        return (await self.get_version(job_id, version)).to_draft()

    async def list_versions(self, job_id: str) -> list[ArticleVersion]:
        """Return every stored version of the job, oldest first."""
        rows = await self._pool.fetch(
            "SELECT * FROM article_versions WHERE job_id = $1 ORDER BY iteration", job_id
        )
        return [ArticleVersion.from_row(row) for row in rows]

    async def attach_qc(self, job_id: str, version: int, qc: QCReport) -> None:
        """Record the QC report of a stored version (raises ArticleVersionNotFoundError)."""
        updated = await self._pool.fetchval(
            "UPDATE article_versions SET qc_report = $3, qc_score = $4"
            " WHERE job_id = $1 AND iteration = $2 RETURNING iteration",
            job_id,
            version,
            qc.model_dump(mode="json"),
            qc.overall,
        )
        if updated is None:
            raise ArticleVersionNotFoundError(job_id, version)

    async def commit_final(
        self, job_id: str, version: int | None, outcome: Outcome, reasons: Sequence[str]
    ) -> bool:
        """End the job with `outcome`, once; False (and nothing changed) if it already ended.

        In one transaction: lock the job row, copy `version` into `articles` for the outcomes
        that have an article (passed, needs_review), and set the job's terminal status. The job
        row lock serialises concurrent callers and the unique job_id of `articles` backs it up,
        so a node re-run after a crash can never produce a second article.

        Raises:
            ValueError: `passed` without a version.
            JobNotFoundError: no such job.
            ArticleVersionNotFoundError: `version` was never saved (nothing is changed).
        """
        outcome = Outcome(outcome)
        if outcome is Outcome.passed and version is None:
            raise ValueError("a passed job needs the version of its article")
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.fetchval("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", job_id)
            if status is None:
                raise JobNotFoundError(job_id)
            if JobStatus(status) in TERMINAL_STATUSES:
                return False
            if version is not None and outcome in OUTCOMES_WITH_ARTICLE:
                copied = await conn.fetchval(
                    """
                    INSERT INTO articles
                        (job_id, version, markdown, links_extension, qc_report, outcome)
                    SELECT job_id, iteration, markdown, links_extension, qc_report, $3
                    FROM article_versions WHERE job_id = $1 AND iteration = $2
                    ON CONFLICT (job_id) DO NOTHING
                    RETURNING job_id
                    """,
                    job_id,
                    version,
                    outcome.value,
                )
                if copied is None:
                    await self.get_version(job_id, version)  # raises when the version is missing
                    return False  # an article exists for a job not yet ended: leave both be
            await conn.execute(
                "UPDATE jobs SET status = $2, outcome = $2, outcome_reasons = $3,"
                " finished_at = now(), updated_at = now() WHERE id = $1",
                job_id,
                outcome.value,
                list(reasons),
            )
        return True

    async def resolve_review(self, job_id: str, outcome: Outcome, reasons: Sequence[str]) -> bool:
        """Turn a `needs_review` job into `passed` or `refused` on a reviewer's decision.

        The article row stays (its outcome follows the job's); False when the job is not
        waiting for a review (a repeated decision changes nothing).
        """
        outcome = Outcome(outcome)
        if outcome not in (Outcome.passed, Outcome.refused):
            raise ValueError("a review resolves to passed or refused")
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.fetchval("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", job_id)
            if status != "needs_review":
                return False
            if outcome is Outcome.refused:
                await conn.execute("DELETE FROM articles WHERE job_id = $1", job_id)
            else:
                await conn.execute(
                    "UPDATE articles SET outcome = $2 WHERE job_id = $1", job_id, outcome.value
                )
            await conn.execute(
                "UPDATE jobs SET status = $2, outcome = $2,"
                " outcome_reasons = outcome_reasons || $3::jsonb,"
                " finished_at = now(), updated_at = now() WHERE id = $1",
                job_id,
                outcome.value,
                list(reasons),
            )
        return True

    async def reopen(self, job_id: str) -> bool:
        """Take a `needs_review` job back to running and drop its final article (revise)."""
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.fetchval("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", job_id)
            if status != "needs_review":
                return False
            await conn.execute("DELETE FROM articles WHERE job_id = $1", job_id)
            await conn.execute(
                "UPDATE jobs SET status = 'running', outcome = NULL, finished_at = NULL,"
                " updated_at = now() WHERE id = $1",
                job_id,
            )
        return True

    async def get_final(self, job_id: str) -> FinalArticle | None:
        """Return the job's final article, or None (not ended yet, refused or failed)."""
        row = await self._pool.fetchrow("SELECT * FROM articles WHERE job_id = $1", job_id)
        return FinalArticle.from_row(row) if row is not None else None
