"""Count LSI terms in the near-window of the target link; check subtopics and forbidden angles."""

from __future__ import annotations

from collections import Counter

from schemas.enums import BridgeType
from schemas.job_package import JobPackage
from schemas.metrics import IntentMetrics, LsiMetrics
from tools.qc.structure import Document, Link
from tools.qc.terms import STOPWORDS, content_words, root_of, term_in, tokens, word_matches

__all__ = ["RADIUS", "lsi_candidates", "measure_intent_terms", "measure_lsi", "near_window"]

RADIUS = 2
_REPEAT_LIMIT = 2


def lsi_candidates(package: JobPackage, bridge_theme: str = "") -> list[str]:
    """Return the job's candidate LSI terms, deduplicated case-insensitively."""
    terms: list[str] = []
    if package.target_profile:
        terms += package.target_profile.core_entities + package.target_profile.core_topics
    intent = package.intent_extension
    if intent:
        terms += intent.required_subtopics
        if bridge_theme and intent.recommended_bridge_type is not BridgeType.strong:
            terms.append(bridge_theme)
    seen: dict[str, str] = {}
    for term in terms:
        key = " ".join(tokens(term))
        if key and key not in seen:
            seen[key] = term.strip()
    return list(seen.values())


def near_window(doc: Document, link: Link) -> list[str]:
    """Return the sentences within RADIUS of the link in its section, link text blanked out."""
    if link.paragraph_index is None:
        return []
    section = doc.sections[link.section_index]
    flat: list[str] = []
    position = 0
    for block in section.blocks:
        text = block.text
        if block.paragraph_index == link.paragraph_index:
            a, b = link.span
            text = text[:a] + " " * (b - a) + text[b:]
            position = len(flat) + block.sentence_at(link.span[0])
        flat += [text[s:e] for s, e in block.sentences]
    return flat[max(position - RADIUS, 0) : position + RADIUS + 1]


def measure_lsi(
    doc: Document, link: Link | None, package: JobPackage, bridge_theme: str = ""
) -> LsiMetrics:
    """Count the distinct candidate terms near the target link."""
    candidates = lsi_candidates(package, bridge_theme)
    if link is None:
        return LsiMetrics(candidates=candidates)
    window = near_window(doc, link)
    window_tokens = tokens(" ".join(window))
    found = [term for term in candidates if term_in(term, window_tokens)]
    roots = Counter(root_of(content_words(term)[0]) for term in found)
    anchor_words = [w for w in tokens(link.text) if w not in STOPWORDS and len(w) >= 4]
    repeats = {
        word: n
        for word in dict.fromkeys(anchor_words)
        if (n := sum(1 for t in window_tokens if word_matches(word, t))) > _REPEAT_LIMIT
    }
    return LsiMetrics(
        candidates=candidates,
        window_sentences=len(window),
        found=found,
        count=len(found),
        distinct_roots=len(roots),
        repeated_roots=sorted(root for root, n in roots.items() if n > 1),
        anchor_word_repeats=repeats,
    )


def _units(doc: Document) -> list[list[str]]:
    """Return token lists per section (headings included), for subtopic coverage."""
    units = []
    for section in doc.sections:
        heads = " ".join(h.text for h in section.headings)
        units.append(tokens(heads + " " + section.text))
    return units


def _sentences(doc: Document) -> list[list[str]]:
    heads = [tokens(h.text) for h in doc.headings]
    return heads + [tokens(s) for b in doc.blocks for s in b.sentence_texts()]


def measure_intent_terms(doc: Document, package: JobPackage) -> IntentMetrics:
    """Check required subtopics (per section) and forbidden angles (per sentence)."""
    intent = package.intent_extension
    if intent is None:
        return IntentMetrics()
    units = _units(doc)
    covered = [t for t in intent.required_subtopics if any(term_in(t, u) for u in units)]
    sentences = _sentences(doc)
    forbidden = [t for t in intent.forbidden_angles if any(term_in(t, s) for s in sentences)]
    return IntentMetrics(
        subtopics_covered=covered,
        subtopics_missing=[t for t in intent.required_subtopics if t not in covered],
        forbidden_found=forbidden,
    )
