"""Writer: the first draft of the article, stored as version 0."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from nodes._brief import article_brief
from nodes._guard import guarded
from nodes.context import JobContext
from schemas.article import ArticleDraft
from schemas.job_package import JobPackage
from schemas.state import JobState
from tools.qc import derive_links_extension, measure_article

__all__ = ["make_draft", "write"]


def make_draft(job_id: str, iteration: int, markdown: str, package: JobPackage) -> ArticleDraft:
    """Measure an article and record it with its links extension."""
    metrics = measure_article(markdown, package)
    angle = package.intent_extension.recommended_article_angle if package.intent_extension else ""
    return ArticleDraft(
        job_id=job_id,
        iteration=iteration,
        markdown=markdown,
        links_extension=derive_links_extension(metrics, package, bridge_theme=angle),
    )


@guarded("write")
async def write(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """Write the first draft from the complete job package."""
    ctx = runtime.context
    result = await ctx.agents.writer.run(article_brief(state.package), sink=ctx.budget)
    draft = make_draft(state.job_id, 0, result.output.markdown, state.package)
    version = await ctx.articles.save_version(draft)
    return {
        "iteration": 0,
        "draft_version": version,
        "prompt_hashes": {"writer": result.prompt_sha},
        "usage": result.usage,
    }
