"""Rules for PREFLIGHT, DRAFT, INTENT, FIT and COMPLIANCE."""

from __future__ import annotations

from schemas.enums import AlignmentLevel, BridgeType, DataConfidence, Language
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from tools.qc._rule import RuleResult
from tools.qc.disclaimers import disclaimer_text

__all__ = ["compliance_rule", "draft_rule", "fit_rule", "intent_rule", "preflight_rule"]

MAX_WORDS = 2500
MIN_H2 = 3
MIN_PARAGRAPHS = 5
_SECTIONS = (
    "publisher_profile",
    "target_profile",
    "anchor_profile",
    "serp_research_extension",
    "intent_extension",
)
_NAMES = {
    Language.sv: "Swedish",
    Language.en: "English",
    Language.no: "Norwegian",
    Language.da: "Danish",
}
_NORDIC = frozenset({"sv", "no", "da"})


def preflight_rule(package: JobPackage, article_bridge: BridgeType | None = None) -> RuleResult:
    """Check the package is complete and confident, and the bridge fits the alignment."""
    r = RuleResult()
    missing = [name for name in _SECTIONS if getattr(package, name) is None]
    if missing:
        r.limit(
            40,
            "Job package incomplete: " + ", ".join(missing) + " missing.",
            "Complete research and the Intent Sentinel before writing.",
        )
    serp, intent = package.serp_research_extension, package.intent_extension
    levels = [
        serp.data_confidence if serp else None,
        intent.notes.data_confidence if intent else None,
    ]
    if DataConfidence.low in levels:
        r.limit(
            30,
            "data_confidence is low; Next-A1 forbids writing on low-confidence research.",
            "Research again with more SERP data, or refuse the job.",
        )
    if intent is None:
        return r
    bridge = intent.recommended_bridge_type
    alignment = intent.intent_alignment.model_dump()
    off = [name for name, level in alignment.items() if level is AlignmentLevel.off]
    if bridge is BridgeType.strong and off:
        r.limit(
            40,
            f"A strong bridge is recommended although {', '.join(off)} is 'off'.",
            "Use a pivot or wrapper bridge (or refuse the job); strong needs no alignment off.",
        )
    if article_bridge is not None and article_bridge is not bridge:
        r.limit(
            60,
            f"The article uses a {article_bridge.value} bridge; the intent extension recommends "
            f"{bridge.value}.",
            f"Rebuild the frame as a {bridge.value} bridge, or get human sign-off for the change.",
        )
    return r


def draft_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score length and structure: words, H1, H2 sections and paragraphs."""
    r, s = RuleResult(), metrics.structure
    minimum = package.generation_constraints.min_word_count
    if s.word_count < minimum:
        r.limit(
            100 - 200 * (1 - s.word_count / minimum),
            f"{s.word_count} words; the job needs at least {minimum} (1200 recommended).",
            f"Expand the article by at least {minimum - s.word_count} words with substance "
            "(examples, steps, figures from the sources) in the existing sections.",
        )
    elif s.word_count > MAX_WORDS:
        r.drop(
            min((s.word_count - MAX_WORDS) / 25, 40),
            f"{s.word_count} words; Next-A1 allows at most {MAX_WORDS}.",
            f"Cut about {s.word_count - MAX_WORDS} words, starting with repetition.",
        )
    h2 = len(s.h2_titles)
    if h2 < MIN_H2:
        r.limit(
            100 - 25 * (MIN_H2 - h2),
            f"{h2} H2 section(s) found; at least {MIN_H2} needed ({MIN_H2 - h2} more).",
            f"Split the body into at least {MIN_H2} H2 sections with descriptive headings.",
        )
    if s.paragraph_count < MIN_PARAGRAPHS:
        r.drop(
            10 * (MIN_PARAGRAPHS - s.paragraph_count),
            f"{s.paragraph_count} paragraphs; at least {MIN_PARAGRAPHS} needed.",
            f"Write at least {MIN_PARAGRAPHS} prose paragraphs.",
        )
    if s.h1_count != 1:
        r.drop(15, f"{s.h1_count} H1 headings; exactly one needed.", "Keep exactly one H1 title.")
    return r


def intent_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score intent: overall alignment, required subtopics and forbidden angles."""
    r, intent = RuleResult(), package.intent_extension
    if intent is None:
        r.limit(60, "No intent extension; intent cannot be checked.", "Run the Intent Sentinel.")
        return r
    alignment = intent.intent_alignment
    bridge = intent.recommended_bridge_type
    if alignment.overall is AlignmentLevel.off and bridge is BridgeType.strong:
        r.limit(
            40,
            "Overall intent alignment is 'off' and the article is written as a strong bridge.",
            f"Reframe toward the dominant SERP intent ({intent.serp_intent_primary.value}) with "
            "a pivot or wrapper bridge, or refuse the job.",
        )
    elif alignment.overall is AlignmentLevel.off:
        # Next-A1 allows an 'off' job through a pivot/wrapper bridge; a human signs it off.
        r.drop(15, f"Overall intent alignment is 'off', bridged with a {bridge.value} bridge.")
    partial = [
        name for name, level in alignment.model_dump().items() if level is AlignmentLevel.partial
    ]
    if partial:
        r.drop(5 * len(partial), "Partial alignment: " + ", ".join(partial) + ".")
    found = metrics.intent
    required = len(intent.required_subtopics)
    if found.subtopics_missing:
        r.drop(
            40 * len(found.subtopics_missing) / required,
            f"{len(found.subtopics_missing)} of {required} required subtopics missing: "
            + ", ".join(found.subtopics_missing),
            "Cover the required subtopics "
            + ", ".join(f"'{t}'" for t in found.subtopics_missing)
            + " in the sections where they fit.",
        )
    if found.forbidden_found:
        angle = intent.recommended_article_angle or intent.serp_intent_primary.value
        r.limit(
            40,
            "Forbidden angle(s) present: " + ", ".join(found.forbidden_found),
            "Remove or rewrite the passages taking the forbidden angle(s) "
            + ", ".join(f"'{t}'" for t in found.forbidden_found)
            + f"; keep to the recommended angle: {angle}.",
        )
    return r


def fit_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score language match and readability (tone is left to the reviewer)."""
    r, lang = RuleResult(), metrics.language
    expected = package.generation_constraints.language
    if not lang.matches:
        nordic = {lang.detected, expected.value} <= _NORDIC
        r.limit(
            60 if nordic else 15,
            f"The article is in '{lang.detected}' ({lang.confidence:.0%} confidence); the job "
            f"language is '{expected.value}'.",
            f"Rewrite the whole article in {_NAMES.get(expected, expected.value)}, keeping the "
            "structure, link and sources.",
        )
        return r
    read = metrics.readability
    low, high = read.target_range
    distance = low - read.value if read.value < low else max(read.value - high, 0.0)
    if distance:
        name = read.metric.upper() if read.metric == "lix" else "Flesch reading ease"
        harder = (read.metric == "lix") == (read.value > high)
        per_sentence = read.words / read.sentences
        r.drop(
            min(2.5 * distance, 50),
            f"{name} {read.value:.0f} is outside the {low:.0f}-{high:.0f} target "
            f"({per_sentence:.0f} words per sentence).",
            f"Shorten sentences and prefer shorter words to bring {name} into {low:.0f}-{high:.0f}."
            if harder
            else f"Join very short sentences and use precise terms to bring {name} into "
            f"{low:.0f}-{high:.0f}.",
        )
    return r


def compliance_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score the vertical disclaimer (closing part) and the absence of personal data."""
    r, c = RuleResult(), metrics.compliance
    language = package.generation_constraints.language
    if c.vertical is not None and (c.missing or c.found_outside_closing):
        text = disclaimer_text(c.vertical, language)
        if c.missing:
            r.limit(
                30,
                f"The {c.vertical.value} article lacks required disclaimer part(s): "
                + ", ".join(c.missing)
                + ".",
                f'Insert a {c.vertical.value} disclaimer in the last section, e.g.: "{text}"',
            )
        else:
            r.drop(
                25,
                "Disclaimer part(s) "
                + ", ".join(c.found_outside_closing)
                + " appear only outside the closing part.",
                f"Move the {c.vertical.value} disclaimer into the last (closing) section.",
            )
    if c.pii:
        kinds = ", ".join(f"{hit.kind} {hit.redacted}" for hit in c.pii)
        r.limit(
            20,
            f"Personal data in the text: {kinds}.",
            "Remove the personal data, or replace it with an official, non-personal contact.",
        )
    return r
