"""The article brief both the Writer and the Reviser prompts receive (pure)."""

from __future__ import annotations

from schemas.enums import BridgeType, ToneClass
from schemas.job_package import JobPackage
from tools.qc.trust import load_registry
from tools.writing_guides import BRIDGE_GUIDE, LANGUAGE_NAMES, VOICE_GUIDE, disclaimer_for

__all__ = ["article_brief", "lsi_terms", "qc_variables", "trust_candidates"]


def lsi_terms(package: JobPackage, limit: int = 12) -> list[str]:
    """Return the terms the link's near-window should carry (target entities, subtopics)."""
    target = package.target_profile
    intent = package.intent_extension
    terms = [
        *(target.core_entities if target else []),
        *(target.core_topics if target else []),
        *(intent.required_subtopics if intent else []),
    ]
    return list(dict.fromkeys(t.strip() for t in terms if t.strip()))[:limit]


def trust_candidates(package: JobPackage, limit: int = 5) -> list[str]:
    """Return trust-tier URLs seen in the research, best tier first."""
    registry = load_registry()
    serp = package.serp_research_extension
    seen: dict[str, str] = {}
    for serp_set in serp.serp_sets if serp else []:
        for result in serp_set.top_results_sample:
            tier = registry.tier_of(result.url)
            if tier is not None and result.url not in seen:
                seen[result.url] = f"{tier.value}: {result.url} ({result.title})"
    ordered = sorted(seen.values())
    return ordered[:limit]


def article_brief(package: JobPackage) -> dict[str, str]:
    """Return the variables describing what to write, from a complete job package."""
    job = package.input_minimal
    rules = package.generation_constraints
    publisher = package.publisher_profile
    intent = package.intent_extension
    tone = rules.tone or (publisher.tone_class if publisher else ToneClass.consumer_magazine)
    bridge = intent.recommended_bridge_type if intent else BridgeType.strong
    trust = trust_candidates(package)
    disclaimer = disclaimer_for(rules.vertical, rules.language)
    return {
        "language": LANGUAGE_NAMES[rules.language],
        "publisher_domain": job.publisher_domain,
        "audience": (publisher.audience if publisher else "") or "general readers",
        "voice": f"{tone.value}: {VOICE_GUIDE[tone]}",
        "target_url": job.target_url,
        "anchor_text": job.anchor_text,
        "max_anchor_usages": str(rules.max_anchor_usages),
        "min_word_count": str(rules.min_word_count),
        "bridge": f"{bridge.value}. {BRIDGE_GUIDE[bridge]}",
        "angle": (intent.recommended_article_angle if intent else "") or "(choose one)",
        "required_subtopics": ", ".join(intent.required_subtopics if intent else []) or "(none)",
        "forbidden_angles": ", ".join(intent.forbidden_angles if intent else []) or "(none)",
        "lsi_terms": ", ".join(lsi_terms(package)) or "(none)",
        "trust_sources": "\n".join(f"- {t}" for t in trust)
        or "- none found: write PLATSFÖRSLAG where a source belongs and say what kind",
        "disclaimer": disclaimer or "(none needed)",
    }


def qc_variables(markdown: str, package: JobPackage) -> dict[str, str]:
    """Return the QC Reviewer prompt's variables for one article."""
    brief = article_brief(package)
    intent = package.intent_extension
    return {
        "article": markdown,
        "language": brief["language"],
        "voice": brief["voice"],
        "audience": brief["audience"],
        "angle": brief["angle"],
        "serp_intent": intent.serp_intent_primary.value if intent else "unknown",
    }
