"""Writer: the first draft of the article, stored as version 0."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from nodes._brief import article_brief
from nodes._guard import guarded
from nodes._sectioned import compose
from nodes.context import JobContext
from schemas.article import ArticleDraft
from schemas.job_package import JobPackage
from schemas.state import JobState
from tools.autofix import append_disclaimer, fix_target_link, unlink_unrequested
from tools.qc import derive_links_extension, measure_article
from tools.qc.trust import load_registry
from tools.writing_guides import disclaimer_for

__all__ = ["make_draft", "write"]


def make_draft(job_id: str, iteration: int, markdown: str, package: JobPackage) -> ArticleDraft:
    """Apply the no-sign-off autofixes, measure the article, and record its links extension."""
    job = package.input_minimal
    rules = package.generation_constraints
    registry = load_registry()
    cleaned = unlink_unrequested(
        markdown,
        job.target_url,
        lambda url: registry.tier_of(url) is not None and not registry.is_ugc(url),
    )
    fixed = fix_target_link(cleaned.markdown, job.anchor_text, job.target_url, rules.language)
    fixes = [*cleaned.fixes, *fixed.fixes]
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
    brief = article_brief(state.package)
    text = await compose(ctx.agents.writer, brief, state.package, ctx.writer_mode, ctx.budget)
    draft = make_draft(state.job_id, 0, text.text, state.package)
    version = await ctx.articles.save_version(draft)
    return {
        "iteration": 0,
        "draft_version": version,
        "prompt_hashes": {"writer": text.prompt_sha},
        "usage": text.usage,
    }
