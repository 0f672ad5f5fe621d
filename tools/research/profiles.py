"""Turn extracted evidence plus the Researcher's judgement into Next-A1 profiles (pure)."""

from __future__ import annotations

from urllib.parse import urlsplit

from schemas.agent_outputs import ResearcherOutput
from schemas.enums import DataConfidence, Intent, PageArchetype
from schemas.evidence import ResearchEvidence, SerpEvidence
from schemas.job_package import (
    AnchorProfile,
    InputMinimal,
    PublisherProfile,
    SerpResearchExtension,
    SerpResultSample,
    SerpSet,
    TargetProfile,
)

__all__ = ["build_profiles", "guess_page_type"]

_TYPE_HINTS: tuple[tuple[PageArchetype, tuple[str, ...]], ...] = (
    (PageArchetype.comparison, ("jämför", "compare", "comparison", " vs ", "bästa", "best ")),
    (PageArchetype.review, ("recension", "review", "test av", "tested")),
    (PageArchetype.faq, ("faq", "frågor och svar", "vanliga frågor", "questions")),
    (PageArchetype.guide, ("guide", "så ", "how to", "tips", "steg för steg", "allt om")),
    (PageArchetype.tool, ("kalkylator", "calculator", "räkna ut", "tool")),
    (PageArchetype.news, ("nyheter", "news", "/20")),
    (PageArchetype.category, ("/kategori", "/category", "/collections", "köp ", "shop")),
    (PageArchetype.product, ("/produkt", "/product", "/p/", "pris ")),
)
_OFFICIAL_SUFFIXES = (".gov", ".gov.uk", ".europa.eu", "1177.se", "myndighet")


def guess_page_type(url: str, title: str) -> PageArchetype:
    """Guess a SERP result's page archetype from its URL and title."""
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(_OFFICIAL_SUFFIXES) or host.endswith("verket.se"):
        return PageArchetype.official
    haystack = f" {url.lower()} {title.lower()} "
    for archetype, hints in _TYPE_HINTS:
        if any(h in haystack for h in hints):
            return archetype
    return PageArchetype.other


def _samples(serp: SerpEvidence) -> list[SerpResultSample]:
    return [
        SerpResultSample(
            rank=hit.rank,
            url=hit.url,
            title=hit.title,
            snippet=hit.snippet,
            detected_page_type=guess_page_type(hit.url, hit.title),
        )
        for hit in serp.hits[:8]
        if hit.url.startswith(("http://", "https://"))
    ]


def build_profiles(
    job: InputMinimal,
    evidence: ResearchEvidence,
    judgement: ResearcherOutput,
    confidence: DataConfidence,
) -> tuple[PublisherProfile, TargetProfile, AnchorProfile, SerpResearchExtension]:
    """Fill each profile's facts from the evidence and its judgements from the Researcher."""
    target = evidence.target
    pages_ok = [p for p in evidence.publisher_pages if p.ok]
    about = next((p for p in pages_ok if "about" in p.url or "om-" in p.url), None)
    publisher = PublisherProfile(
        domain=job.publisher_domain,
        sample_urls=[p.final_url or p.url for p in pages_ok][:5],
        about_excerpt=(about.main_text[:400] if about else ""),
        detected_language=next((p.language or "" for p in pages_ok if p.language), ""),
        topic_focus=judgement.publisher.topic_focus,
        audience=judgement.publisher.audience,
        tone_class=judgement.publisher.tone_class,
        allowed_commerciality=judgement.publisher.allowed_commerciality,
        brand_safety_notes=judgement.publisher.brand_safety_notes,
    )
    target_profile = TargetProfile(
        url=job.target_url,
        http_status=target.http_status,
        title=target.title,
        meta_description=target.meta_description,
        h1=target.h1,
        h2_h3_sample=target.h2_h3[:8],
        main_content_excerpt=target.main_text[:600],
        detected_language=target.language or "",
        core_entities=judgement.target.core_entities,
        core_topics=judgement.target.core_topics,
        core_offer=judgement.target.core_offer,
        candidate_main_queries=judgement.target.candidate_main_queries,
    )
    anchor = AnchorProfile(
        proposed_text=job.anchor_text,
        type=judgement.anchor.type,
        implied_intent=judgement.anchor.implied_intent,
    )
    by_query = {j.query.lower(): j for j in judgement.serp_sets}
    sets: list[SerpSet] = []
    for index, serp in enumerate(evidence.serp):
        if not serp.hits:
            continue
        # Small models rephrase queries; fall back to the verdict in the same position.
        verdict = by_query.get(serp.query.lower()) or (
            judgement.serp_sets[index] if index < len(judgement.serp_sets) else None
        )
        samples = _samples(serp)
        if verdict is None:
            # The model said nothing about this query: keep its evidence, claim no intent.
            archetypes = list(dict.fromkeys(r.detected_page_type for r in samples))[:5]
            sets.append(
                SerpSet(
                    query=serp.query,
                    dominant_intent=Intent.mixed,
                    page_archetypes=archetypes,
                    top_results_sample=samples,
                )
            )
            continue
        sets.append(
            SerpSet(
                query=serp.query,
                dominant_intent=verdict.dominant_intent,
                secondary_intents=verdict.secondary_intents,
                page_archetypes=verdict.page_archetypes,
                required_subtopics=verdict.required_subtopics,
                top_results_sample=samples,
            )
        )
    queries = [s.query for s in evidence.serp]
    serp_ext = SerpResearchExtension(
        main_query=queries[0] if queries else job.anchor_text,
        cluster_queries=queries[1:],
        queries_rationale=judgement.queries_rationale,
        serp_sets=sets,
        data_confidence=confidence,
    )
    return publisher, target_profile, anchor, serp_ext
