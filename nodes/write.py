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
from tools.autofix import append_disclaimer, fix_target_link
from tools.qc import derive_links_extension, measure_article
from tools.writing_guides import disclaimer_for

__all__ = ["make_draft", "write"]


def make_draft(job_id: str, iteration: int, markdown: str, package: JobPackage) -> ArticleDraft:
    """Apply the no-sign-off autofixes, measure the article, and record its links extension."""
    job = package.input_minimal
    rules = package.generation_constraints
    fixed = fix_target_link(markdown, job.anchor_text, job.target_url, rules.language)
    fixes = list(fixed.fixes)
    metrics = measure_article(fixed.markdown, package)
    injected: list[str] = []
    if metrics.compliance.missing:
        disclaimer = disclaimer_for(rules.vertical, rules.language)
        added = append_disclaimer(fixed.markdown, disclaimer)
        if added.fixes:
            fixed, fixes, injected = added, fixes + added.fixes, [disclaimer]
            metrics = measure_article(fixed.markdown, package)
    angle = package.intent_extension.recommended_article_angle if package.intent_extension else ""
    extension = derive_links_extension(metrics, package, bridge_theme=angle)
    if injected:
        extension.compliance.disclaimers_injected = [
            *extension.compliance.disclaimers_injected,
            *injected,
        ]
    return ArticleDraft(
        job_id=job_id,
        iteration=iteration,
        markdown=fixed.markdown,
        links_extension=extension,
        autofixes=fixes,
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
