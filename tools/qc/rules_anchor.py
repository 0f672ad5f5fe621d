"""Rules for the ANCHOR criterion and the Next-A1 anchor risk (section 6)."""

from __future__ import annotations

from schemas.enums import AlignmentLevel, AnchorRisk, AnchorType, Intent
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from tools.qc._rule import RuleResult

__all__ = ["anchor_risk", "anchor_rule", "target_section"]

_BODY = ("paragraph", "list_item")
_COMMERCIAL = frozenset({Intent.transactional, Intent.commercial_research})


def _link(package: JobPackage) -> str:
    return f"[{package.input_minimal.anchor_text}]({package.input_minimal.target_url})"


def target_section(metrics: ArticleMetrics) -> str:
    """Return the section the link belongs in: its own middle section, else the first one."""
    t = metrics.target
    titles = metrics.structure.h2_titles
    if t.found and t.in_middle_section and t.section_title:
        return t.section_title
    middle = titles[:-1] or titles
    return middle[0] if middle else "the first main section"


def anchor_risk(metrics: ArticleMetrics, package: JobPackage) -> tuple[AnchorRisk, str]:
    """Return the Next-A1 anchor risk and the reason for it."""
    t = metrics.target
    if not t.found or t.location not in _BODY:
        return AnchorRisk.high, "no target link in body text"
    if t.anchor_uses_in_link_section > 1:
        return AnchorRisk.high, "the anchor is repeated within one section"
    profile = package.anchor_profile
    kind = profile.type if profile else None
    weak = metrics.lsi.count < 3 or t.context_sentences < 2
    if kind is AnchorType.exact and profile and profile.implied_intent in _COMMERCIAL and weak:
        return AnchorRisk.high, "exact-match commercial anchor in weak context"
    intent = package.intent_extension
    poor_fit = metrics.lsi.count < 6 or (
        intent is not None and intent.intent_alignment.anchor_vs_serp is not AlignmentLevel.aligned
    )
    if kind is AnchorType.generic and weak and metrics.trust.trust_link_count == 0:
        return AnchorRisk.medium, "generic anchor in weak context without trust sources"
    if kind is AnchorType.partial and poor_fit:
        return AnchorRisk.medium, "partial anchor with a poor fit"
    if weak:
        return AnchorRisk.medium, "weak context around the link"
    return AnchorRisk.low, "natural context with LSI terms"


def anchor_rule(metrics: ArticleMetrics, package: JobPackage) -> RuleResult:
    """Score link placement, the anchor text, usage count and anchor risk."""
    r, t, link = RuleResult(), metrics.target, _link(package)
    anchor = package.input_minimal.anchor_text
    where = target_section(metrics)
    if not t.found:
        r.limit(
            0,
            f"No link to the target URL {package.input_minimal.target_url} found.",
            f"Add exactly one link {link} in paragraph 1-2 of section '{where}', after at least "
            "two sentences of context.",
        )
        return r
    if t.location == "other":
        r.limit(
            50,
            "The target link sits in a table or another non-prose block.",
            f"Move the link {link} into paragraph 1-2 of section '{where}'.",
        )
    elif t.location not in _BODY:
        kind = (t.location or "heading").upper()
        r.limit(
            20,
            f"The target link sits in the {kind} heading '{t.heading_text}'; Next-A1 never "
            "allows it in a heading.",
            f"Move the link {link} out of the {kind} '{t.heading_text}' into paragraph 1-2 of "
            + ("the section under that heading" if t.in_middle_section else f"section '{where}'")
            + " and keep the heading plain text.",
        )
    if t.link_count > 1:
        r.limit(
            30,
            f"{t.link_count} links to the target URL; exactly one is allowed.",
            f"Keep one link {link} in paragraph 1-2 of '{where}' and unlink the other "
            f"{t.link_count - 1}.",
        )
    limit = package.generation_constraints.max_anchor_usages
    if t.anchor_usages > limit:
        r.limit(
            40,
            f"The anchor '{anchor}' is used {t.anchor_usages} times ({t.anchor_link_uses} as "
            f"link text, {t.anchor_text_mentions} in plain text); at most {limit} allowed.",
            f"Keep the anchor linked once and rephrase at least {t.anchor_usages - limit} other "
            f"uses of '{anchor}' with synonyms or related terms.",
        )
    if t.target_domain_other_links:
        r.drop(
            20,
            f"{len(t.target_domain_other_links)} other link(s) to the target's domain: "
            + ", ".join(t.target_domain_other_links),
            "Remove the extra links to the target's domain; only the target URL is linked.",
        )
    if not t.anchor_text_matches:
        r.drop(
            25,
            f"The target link text is '{t.link_text}', not the anchor '{anchor}'.",
            f"Use the agreed anchor text exactly: {link}.",
        )
    _placement(r, metrics, link, where)
    risk, why = anchor_risk(metrics, package)
    if risk is AnchorRisk.high and t.location in _BODY:
        r.drop(
            25,
            f"Anchor risk is high: {why}.",
            "Lower the anchor risk: state the anchor once per section and surround the link "
            "with context and LSI terms.",
        )
    return r


def _placement(r: RuleResult, metrics: ArticleMetrics, link: str, where: str) -> None:
    t = metrics.target
    if t.other_links_in_paragraph:
        r.drop(
            20,
            f"The target link shares its paragraph with {t.other_links_in_paragraph} more link(s).",
            "Move the other link(s) out of the target link's paragraph (one link per paragraph).",
        )
    crowded = metrics.structure.paragraphs_with_several_links
    if crowded and not t.other_links_in_paragraph:
        r.drop(10, "More than one link in: " + "; ".join(crowded), "Keep one link per paragraph.")
    if t.location not in _BODY or t.paragraph_index_in_section is None:
        return
    if t.context_sentences < 2:
        r.drop(
            15,
            f"Only {t.context_sentences} context sentence(s) in the link's paragraph; at least 2 "
            "needed.",
            f"Add {2 - t.context_sentences} sentence(s) of context around {link} in its paragraph.",
        )
    if not t.in_middle_section:
        r.drop(
            15,
            f"The link sits in {'the intro' if t.section_index == 0 else 'the last section'}; "
            "preferred is paragraph 1-2 of a middle section.",
            f"Move the link {link} into paragraph 1-2 of section '{where}'.",
        )
    elif t.paragraph_index_in_section > 1:
        r.drop(
            10,
            f"The link is in paragraph {t.paragraph_index_in_section + 1} of '{t.section_title}'; "
            "preferred is paragraph 1-2.",
            f"Move the link {link} up to paragraph 1-2 of section '{t.section_title}'.",
        )
