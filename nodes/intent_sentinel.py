"""Intent Sentinel: decide intent alignment and bridge type; refuse to write on weak data."""

from __future__ import annotations

import json
from typing import Any

from langgraph.runtime import Runtime

from nodes._guard import guarded
from nodes.context import JobContext
from schemas.enums import DataConfidence
from schemas.job_package import JobPackage
from schemas.state import JobState
from tools.intent_gate import gate, low_confidence_decision
from tools.intent_signals import evidence_alignment

__all__ = ["intent_sentinel", "sentinel_variables"]


def _compact(model: Any) -> str:
    if model is None:
        return "(none)"
    return json.dumps(model.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


def sentinel_variables(package: JobPackage) -> dict[str, str]:
    """Return the sentinel prompt's variables: the research profiles, compactly."""
    serp = package.serp_research_extension
    serp_sets = [
        {
            "query": s.query,
            "dominant_intent": s.dominant_intent.value,
            "page_archetypes": [a.value for a in s.page_archetypes],
            "required_subtopics": s.required_subtopics,
            "top_titles": [r.title for r in s.top_results_sample[:5]],
        }
        for s in (serp.serp_sets if serp else [])
    ]
    return {
        "publisher_profile": _compact(package.publisher_profile),
        "target_profile": _compact(package.target_profile),
        "anchor_profile": _compact(package.anchor_profile),
        "serp_sets": json.dumps(serp_sets, ensure_ascii=False),
        "data_confidence": serp.data_confidence.value if serp else "low",
        "language": package.generation_constraints.language.value,
    }


@guarded("intent_sentinel")
async def intent_sentinel(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """Decide the intent extension and whether the job may be written."""
    serp = state.package.serp_research_extension
    confidence = serp.data_confidence if serp else DataConfidence.low
    if confidence is DataConfidence.low or state.package.publisher_profile is None:
        return {"decision": low_confidence_decision()}
    ctx = runtime.context
    result = await ctx.agents.intent_sentinel.run(
        sentinel_variables(state.package), sink=ctx.budget
    )
    extension, decision = gate(result.output, confidence, evidence_alignment(state.package))
    return {
        "package": state.package.model_copy(update={"intent_extension": extension}),
        "decision": decision,
        "prompt_hashes": {"intent_sentinel": result.prompt_sha},
        "usage": result.usage,
    }
