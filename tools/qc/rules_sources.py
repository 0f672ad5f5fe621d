"""Rules for the TRUST and LSI criteria."""

from __future__ import annotations

from schemas.enums import BridgeType, Language
from schemas.enums import TrustTier as T
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from tools.qc._rule import RuleResult

__all__ = ["lsi_rule", "trust_rule"]

_LSI_LOW = {0: 10.0, 1: 25.0, 2: 40.0, 3: 55.0, 4: 70.0, 5: 85.0}
_TRUST_NEEDED = {BridgeType.strong: (1, 2), BridgeType.pivot: (1, 2), BridgeType.wrapper: (2, 3)}
_SUGGESTED_SOURCES = {
    Language.sv: "a Swedish authority (e.g. energimyndigheten.se, konsumentverket.se)",
    Language.en: "a public body (gov.uk, europa.eu) or a university (.ac.uk, .edu)",
}


def trust_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score trust sources: count for the bridge, tiers, placeholders and unrequested links."""
    r, trust = RuleResult(), metrics.trust
    language = package.generation_constraints.language
    sources = _SUGGESTED_SOURCES.get(language, _SUGGESTED_SOURCES[Language.en])
    intent = package.intent_extension
    bridge = intent.recommended_bridge_type if intent else BridgeType.strong
    needed, preferred = _TRUST_NEEDED[bridge]
    n = trust.trust_link_count
    if n == 0 and trust.placeholders:
        r.limit(
            50,
            f"No trust source linked; {len(trust.placeholders)} PLATSFÖRSLAG placeholder(s) "
            "unresolved.",
            f"Replace each PLATSFÖRSLAG with a link to {sources} that backs the claim.",
        )
    elif n == 0:
        r.limit(
            10,
            "No trust source linked (Next-A1 needs at least 1, 2 preferred).",
            f"Add {preferred} links to {sources}, each backing a concrete claim.",
        )
    elif n < needed:
        r.limit(
            65,
            f"{n} trust source(s); a {bridge.value} bridge needs {needed}-{preferred}.",
            f"Add {needed - n} more trust link(s) to {sources}.",
        )
    elif n < preferred:
        r.drop(10, f"{n} trust source; {preferred} are preferred.", f"Add a link to {sources}.")
    if n and trust.placeholders:
        r.drop(10, "PLATSFÖRSLAG placeholder left in the text.", "Resolve or remove PLATSFÖRSLAG.")
    if trust.tiers == [T.T4_media]:
        r.drop(
            20,
            "Only media (T4) sources; T4 is a fallback when T1-T3 are missing.",
            f"Swap a media link for {sources}.",
        )
    swedish = any(d.endswith((".se", "europa.eu")) for d in trust.trust_domains)
    if n and language is Language.sv and not swedish:
        r.drop(5, "No Swedish trust source for a Swedish job.", f"Prefer {sources}.")
    flagged = [lk for lk in metrics.links if lk.unrequested]
    if flagged:
        r.limit(
            35 - 10 * (len(flagged) - 1),
            f"{len(flagged)} link(s) the job did not ask for: "
            + "; ".join(f"{lk.url} ({lk.reason})" for lk in flagged),
            "Remove the link(s) to "
            + ", ".join(sorted({lk.domain for lk in flagged}))
            + f", or replace each with a link to {sources}.",
        )
    return r


def lsi_rule(metrics: ArticleMetrics) -> RuleResult:
    """Score the LSI terms within two sentences of the target link."""
    r, lsi = RuleResult(), metrics.lsi
    if not lsi.window_sentences:
        r.limit(
            30,
            "No near-window: the target link is missing or not in body text.",
            "Place the link in body text, then use 6-10 target terms in the sentences around it.",
        )
        return r
    if not lsi.candidates:
        r.limit(70, "The job package has no candidate LSI terms (target entities/topics).")
        return r
    needed = min(6, len(lsi.candidates))
    unused = [c for c in lsi.candidates if c not in lsi.found]
    if lsi.count < needed:
        r.limit(
            _LSI_LOW.get(lsi.count + 6 - needed, 85.0),
            f"{lsi.count} LSI terms within ±2 sentences of the link ({needed}-10 needed)"
            + (f": {', '.join(lsi.found)}." if lsi.found else "."),
            f"Work {needed - lsi.count} more of these terms into the two sentences before and "
            f"after the link: {', '.join(unused[:8])}.",
        )
    elif lsi.count > 10:
        r.drop(
            min(7 * (lsi.count - 10), 40),
            f"{lsi.count} LSI terms near the link; more than 10 reads as over-optimised.",
            f"Thin the near-window to 6-10 terms; move {lsi.count - 10} to other paragraphs.",
        )
    if lsi.repeated_roots:
        r.drop(
            10,
            "Several terms share a root: " + ", ".join(lsi.repeated_roots),
            "Replace variants of the same root word with distinct concepts.",
        )
    if lsi.count and lsi.distinct_roots / lsi.count < 0.6:
        r.drop(15, f"Only {lsi.distinct_roots} of {lsi.count} terms are distinct concepts.")
    if lsi.anchor_word_repeats:
        repeats = ", ".join(f"'{w}' x{n}" for w, n in lsi.anchor_word_repeats.items())
        r.drop(
            15,
            f"Anchor words repeated around the link: {repeats}.",
            "Vary the wording around the link so the anchor's words appear at most twice.",
        )
    return r
