"""QC Reviewer: deterministic Next-A1 metrics plus an LLM rubric, into the 8-criterion report."""

from __future__ import annotations

import hashlib
from typing import Any

from langgraph.runtime import Runtime

from nodes._brief import qc_variables
from nodes._guard import guarded
from nodes.context import JobContext
from schemas.errors import BacowrError
from schemas.qc import PASS_THRESHOLD, QCReport
from schemas.state import JobState, QCRound
from tools.qc import review_article

__all__ = ["findings_signature", "qc_review"]

REPEATED_FINDINGS = "the same findings came back unchanged after a revision"


def findings_signature(report: QCReport) -> str:
    """Fingerprint the failing criteria and their findings, to spot fixes that did not take."""
    parts = sorted(
        f"{c.criterion.value}:{'|'.join(sorted(c.findings))}"
        for c in report.criteria
        if c.score < PASS_THRESHOLD
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@guarded("qc_review")
async def qc_review(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """Score the current draft and record the round for the router."""
    ctx = runtime.context
    if state.draft_version is None:
        raise BacowrError("qc_review reached without a draft")
    draft = await ctx.articles.load_version(state.job_id, state.draft_version)
    result = await ctx.agents.qc_reviewer.run(
        qc_variables(draft.markdown, state.package), sink=ctx.budget
    )
    report = review_article(
        draft.markdown,
        state.package,
        rubric=result.output,
        article_bridge_type=draft.links_extension.bridge_type,
        autofix_done=bool(draft.autofixes),
    )
    signature = findings_signature(report)
    previous = state.qc_rounds[-1] if state.qc_rounds else None
    if previous is not None and previous.findings_signature == signature and report.failing:
        report = review_article(
            draft.markdown,
            state.package,
            rubric=result.output,
            article_bridge_type=draft.links_extension.bridge_type,
            extra_review_reasons=[REPEATED_FINDINGS],
            autofix_done=bool(draft.autofixes),
        )
    await ctx.articles.attach_qc(state.job_id, state.draft_version, report)
    round_ = QCRound(
        iteration=state.iteration,
        overall=report.overall,
        scores={c.criterion: c.score for c in report.criteria},
        findings_signature=signature,
    )
    return {
        "qc": report,
        "qc_rounds": [*state.qc_rounds, round_],
        "prompt_hashes": {"qc_reviewer": result.prompt_sha},
        "usage": result.usage,
    }
