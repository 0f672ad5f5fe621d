"""Reviser: rewrite the draft, working on exactly the criteria QC says fail."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from nodes._brief import article_brief
from nodes._guard import guarded
from nodes._sectioned import compose
from nodes.context import JobContext
from nodes.write import make_draft
from schemas.errors import BacowrError
from schemas.qc import QCReport
from schemas.state import JobState

__all__ = ["fix_list", "revise"]


def fix_list(report: QCReport) -> str:
    """Return the failing criteria with their findings and fixes, worst first."""
    lines = []
    for item in report.failing:
        findings = "; ".join(item.findings[:3])
        lines.append(f"- {item.criterion.value} ({item.score:.0f}/100): {item.fix} [{findings}]")
    return "\n".join(lines) or "- Polish the text; keep everything that works."


def outline(markdown: str) -> str:
    """Return the headings of an article, one per line."""
    return "\n".join(line for line in markdown.splitlines() if line.startswith("#"))


@guarded("revise")
async def revise(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """Revise the current draft with QC's fix instructions (and a reviewer's notes, if any)."""
    ctx = runtime.context
    if state.draft_version is None or state.qc is None:
        raise BacowrError("revise reached without a draft and a QC report")
    current = await ctx.articles.load_version(state.job_id, state.draft_version)
    variables = {
        **article_brief(state.package),
        "article": current.markdown,
        "fixes": fix_list(state.qc),
        "reviewer_notes": state.review_notes or "(none)",
    }
    if ctx.writer_mode == "sections":
        # A small model's context holds the brief and the new text, not the old article too.
        variables["article"] = outline(current.markdown)
    text = await compose(ctx.agents.reviser, variables, state.package, ctx.writer_mode, ctx.budget)
    iteration = state.iteration + 1
    draft = make_draft(state.job_id, iteration, text.text, state.package)
    version = await ctx.articles.save_version(draft)
    return {
        "iteration": iteration,
        "draft_version": version,
        "prompt_hashes": {"reviser": text.prompt_sha},
        "usage": text.usage,
    }
