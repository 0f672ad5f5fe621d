"""Research: gather evidence, then the Researcher turns it into the job's profiles."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from nodes._guard import guarded
from nodes.context import JobContext
from schemas.enums import DataConfidence
from schemas.evidence import ResearchEvidence
from schemas.job_package import JobPackage, SerpResearchExtension
from schemas.state import JobState
from tools.research.confidence import data_confidence
from tools.research.delimit import evidence_to_prompt_block
from tools.research.profiles import build_profiles
from tools.research.queries import derive_queries

__all__ = ["research", "researcher_variables"]


async def gather_evidence(state: JobState, ctx: JobContext) -> ResearchEvidence:
    """Fetch the target and publisher pages, then search the job's queries."""
    job = state.package.input_minimal
    language = state.package.generation_constraints.language.value
    target, publisher_pages = await asyncio.gather(
        ctx.research.fetch_page(job.target_url),
        ctx.research.publisher_pages(job.publisher_domain),
    )
    queries = derive_queries(job.anchor_text, target)
    previous = state.package.target_profile
    if previous is not None:  # a second attempt widens the net with the Researcher's ideas
        queries += [q for q in previous.candidate_main_queries if q.lower() not in queries][:2]
    serp = await asyncio.gather(*(ctx.research.search(q, language) for q in queries))
    # A per-job view of the shared cache (tools/research/cache.py) lists the keys it hit.
    hits = [*getattr(ctx.research, "cache_hits", [])]
    return ResearchEvidence(
        target=target, publisher_pages=publisher_pages, serp=list(serp), cache_hits=hits
    )


def researcher_variables(package: JobPackage, evidence: ResearchEvidence) -> dict[str, str]:
    """Return the Researcher prompt's variables: the job and its fenced evidence."""
    job = package.input_minimal
    return {
        "publisher_domain": job.publisher_domain,
        "target_url": job.target_url,
        "anchor_text": job.anchor_text,
        "language": package.generation_constraints.language.value,
        "queries": "\n".join(f"- {s.query}" for s in evidence.serp),
        "evidence": evidence_to_prompt_block(evidence),
    }


@guarded("research")
async def research(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
    """Gather evidence and fill the publisher, target and anchor profiles and SERP extension."""
    ctx = runtime.context
    evidence = await gather_evidence(state, ctx)
    confidence = data_confidence(evidence)
    job = state.package.input_minimal
    update: dict[str, Any] = {
        "research_attempts": state.research_attempts + 1,
        "cache_hits": evidence.cache_hits,
    }
    if confidence is DataConfidence.low:
        # Nothing solid to reason about: the sentinel refuses or asks for research again,
        # so spending tokens on profiles would be waste.
        queries = [s.query for s in evidence.serp]
        serp_ext = SerpResearchExtension(
            main_query=queries[0] if queries else job.anchor_text,
            cluster_queries=queries[1:],
            queries_rationale="research found too little evidence",
            data_confidence=confidence,
        )
        update["package"] = state.package.model_copy(update={"serp_research_extension": serp_ext})
        return update
    result = await ctx.agents.researcher.run(
        researcher_variables(state.package, evidence), sink=ctx.budget
    )
    publisher, target, anchor, serp_ext = build_profiles(job, evidence, result.output, confidence)
    update["package"] = state.package.model_copy(
        update={
            "publisher_profile": publisher,
            "target_profile": target,
            "anchor_profile": anchor,
            "serp_research_extension": serp_ext,
        }
    )
    update["prompt_hashes"] = {"researcher": result.prompt_sha}
    update["usage"] = result.usage
    return update
