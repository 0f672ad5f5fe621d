"""Lexical evidence of intent alignment, measured from the research (pure).

An LLM judges intent; these measurements keep that judgement tied to the data (NEXT_A1 §1):
a model may not call an alignment `off` when the evidence plainly shows overlap. They act as
floors under the Intent Sentinel's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.enums import AlignmentLevel
from schemas.job_package import JobPackage, SerpSet
from tools.qc.terms import content_words, tokens, word_matches

__all__ = ["EvidenceAlignment", "evidence_alignment", "level_for"]

_ORDER = (AlignmentLevel.off, AlignmentLevel.partial, AlignmentLevel.aligned)

# Words of generic anchors ("läs mer här", "click here"): they carry no topic, so they never
# count as overlap with the SERP.
_GENERIC = frozenset(
    [
        "läs",
        "mer",
        "här",
        "klicka",
        "denna",
        "sidan",
        "sida",
        "webbplats",
        "hemsida",
        "länk",
        "länken",
        "read",
        "more",
        "here",
        "click",
        "this",
        "page",
        "site",
        "website",
        "link",
        "learn",
        "find",
        "out",
        "les",
        "her",
        "klikk",
        "mer",
        "side",
        "lees",
        "hier",
        "meer",
    ]
)


def level_for(coverage: float) -> AlignmentLevel:
    """Map a 0-1 coverage to an alignment level (>= 0.6 aligned, >= 0.25 partial)."""
    if coverage >= 0.6:
        return AlignmentLevel.aligned
    if coverage >= 0.25:
        return AlignmentLevel.partial
    return AlignmentLevel.off


def higher(a: AlignmentLevel, b: AlignmentLevel) -> AlignmentLevel:
    """Return the stronger of two alignment levels."""
    return max(a, b, key=_ORDER.index)


def _coverage(text: str, pool: set[str], limit: int = 8) -> float:
    wanted = [w for w in dict.fromkeys(content_words(text)) if w not in _GENERIC][:limit]
    if not wanted or not pool:
        return 0.0
    hits = sum(1 for w in wanted if any(word_matches(w, t) for t in pool))
    return hits / len(wanted)


@dataclass(frozen=True)
class EvidenceAlignment:
    anchor_vs_serp: float
    target_vs_serp: float
    publisher_vs_serp: float

    def floor(self, name: str) -> AlignmentLevel:
        """Return the level the evidence supports for one alignment."""
        return level_for(float(getattr(self, name)))


def evidence_alignment(package: JobPackage) -> EvidenceAlignment:
    """Measure how much the anchor, the target and the publisher share with the SERP."""
    serp = package.serp_research_extension
    sets = serp.serp_sets if serp else []
    anchor = " ".join(tokens(package.input_minimal.anchor_text))

    def pool_of(chosen: list[SerpSet]) -> set[str]:
        results = [r for s in chosen for r in s.top_results_sample]
        return set(tokens(" ".join(f"{r.title} {r.snippet}" for r in results)))

    serp_pool = pool_of(sets)
    # The anchor's own query trivially echoes the anchor: judge it against the topic queries.
    topic_sets = [s for s in sets if " ".join(tokens(s.query)) != anchor] or sets
    topic_pool = pool_of(topic_sets)
    target = package.target_profile
    target_text = f"{target.h1} {target.title}" if target else ""
    publisher = package.publisher_profile
    publisher_pool: set[str] = set()
    if publisher is not None:
        publisher_pool = set(
            tokens(" ".join([publisher.about_excerpt, *publisher.topic_focus, publisher.audience]))
        )
    main_query = serp.main_query if serp else ""
    return EvidenceAlignment(
        anchor_vs_serp=_coverage(package.input_minimal.anchor_text, topic_pool),
        target_vs_serp=_coverage(target_text, serp_pool),
        publisher_vs_serp=_coverage(main_query, publisher_pool),
    )
