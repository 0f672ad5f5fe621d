"""Measure the target link, anchor usage, trust links and unrequested links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from schemas.enums import TrustTier
from schemas.job_package import JobPackage
from schemas.metrics import LinkMetric, TargetLinkMetrics, TrustMetrics
from tools.qc.structure import Document, Link
from tools.qc.text import normalise
from tools.qc.trust import TIER_ORDER, TrustRegistry, domain_of

__all__ = [
    "PLACEHOLDER",
    "accepted_anchors",
    "find_target_link",
    "measure_links",
    "measure_target",
    "same_url",
    "tiers_of",
]

PLACEHOLDER = "PLATSFÖRSLAG"


def _url_key(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return (domain_of(url), path, parts.query)


def _on_site(domain: str, site: str) -> bool:
    return domain == site or domain.endswith("." + site)


def same_url(a: str, b: str) -> bool:
    """Return True when two URLs point to the same page (scheme, www, trailing slash ignored)."""
    return _url_key(a) == _url_key(b)


def accepted_anchors(package: JobPackage) -> list[str]:
    """Return the anchor texts a target link may carry (input anchor, then any swapped one)."""
    anchors = [package.input_minimal.anchor_text]
    if package.anchor_profile and package.anchor_profile.proposed_text.strip():
        anchors.append(package.anchor_profile.proposed_text)
    return list(dict.fromkeys(normalise(a) for a in anchors))


def _count_phrase(text: str, phrase: str) -> int:
    if not phrase:
        return 0
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
    return len(re.findall(pattern, text, flags=re.IGNORECASE))


def measure_links(
    doc: Document, package: JobPackage, registry: TrustRegistry
) -> tuple[list[LinkMetric], TrustMetrics]:
    """Classify every link and summarise the trust sources."""
    target = package.input_minimal.target_url
    publisher = package.input_minimal.publisher_domain
    target_domain = domain_of(target)
    metrics: list[LinkMetric] = []
    for link in doc.links:
        domain = domain_of(link.href)
        is_target = same_url(link.href, target)
        # The target's and the publisher's own pages are never trust sources, nor unrequested.
        own = _on_site(domain, target_domain) or _on_site(domain, publisher)
        tier = None if is_target or own else registry.tier_of(domain)
        reason = ""
        if not own and tier is None:
            reason = (
                "user-generated content, not a trust source"
                if registry.is_ugc(domain)
                else "unknown domain, not a trust source the job asked for"
            )
        metrics.append(
            LinkMetric(
                text=link.text,
                url=link.href,
                domain=domain,
                location=link.location,
                section_index=link.section_index,
                paragraph_index=link.paragraph_index,
                offset_chars=link.offset,
                is_target=is_target,
                trust_tier=tier,
                unrequested=bool(reason),
                reason=reason,
            )
        )
    trusted = [m for m in metrics if m.trust_tier is not None]
    placeholders = [
        sentence.strip()
        for block in doc.blocks
        for sentence in block.sentence_texts()
        if PLACEHOLDER.lower() in sentence.lower()
    ]
    trust = TrustMetrics(
        trust_link_count=len(trusted),
        tiers=tiers_of(trusted),
        trust_domains=list(dict.fromkeys(m.domain for m in trusted)),
        placeholders=placeholders,
        unrequested_links=[m.url for m in metrics if m.unrequested],
    )
    return metrics, trust


def _anchor_mentions(
    doc: Document, anchors: list[str], section_index: int | None
) -> tuple[int, int]:
    """Return plain-text anchor uses outside links: [whole article, link's section]."""
    total = in_section = 0
    for block in doc.blocks:
        text = block.text
        for link in sorted(block.links, key=lambda lk: lk.span, reverse=True):
            text = text[: link.span[0]] + " | " + text[link.span[1] :]
        count = max((_count_phrase(text, a) for a in anchors), default=0)
        total += count
        if block.section_index == section_index:
            in_section += count
    return total, in_section


def find_target_link(doc: Document, package: JobPackage) -> Link | None:
    """Return the target link to judge: in body text with the anchor text if possible."""
    targets = [lk for lk in doc.links if same_url(lk.href, package.input_minimal.target_url)]
    anchors = accepted_anchors(package)
    body = [t for t in targets if t.paragraph_index is not None]
    matching = [t for t in body if normalise(t.text) in anchors]
    return next(iter(matching or body or targets), None)


def measure_target(doc: Document, package: JobPackage) -> TargetLinkMetrics:
    """Locate the target link and measure its placement and the anchor's usage."""
    anchors = accepted_anchors(package)
    target_url = package.input_minimal.target_url
    targets = [lk for lk in doc.links if same_url(lk.href, target_url)]
    anchor_links = [lk for lk in doc.links if normalise(lk.text) in anchors]
    target_domain = domain_of(target_url)
    others = [
        lk.href
        for lk in doc.links
        if domain_of(lk.href) == target_domain and not same_url(lk.href, target_url)
    ]
    link = find_target_link(doc, package)
    if link is None:
        mentions, _ = _anchor_mentions(doc, anchors, None)
        return TargetLinkMetrics(
            anchor_link_uses=len(anchor_links),
            anchor_text_mentions=mentions,
            target_domain_other_links=others,
        )
    section = doc.sections[link.section_index]
    heading = None
    if link.location in ("h1", "h2", "h3", "heading"):
        heading = next((h.text for h in section.headings if link.text in h.text), section.title)
    context = other_links = 0
    if link.paragraph_index is not None:
        block = section.blocks[link.paragraph_index]
        context = max(len(block.sentences) - 1, 0)
        other_links = len(block.links) - 1
    mentions, in_section = _anchor_mentions(doc, anchors, link.section_index)
    links_in_section = sum(1 for lk in anchor_links if lk.section_index == link.section_index)
    return TargetLinkMetrics(
        link_count=len(targets),
        found=True,
        link_text=link.text,
        anchor_text_matches=normalise(link.text) in anchors,
        location=link.location,
        heading_text=heading,
        section_index=link.section_index,
        section_title=section.title or None,
        paragraph_index_in_section=link.paragraph_index,
        offset_chars=link.offset,
        in_middle_section=doc.is_middle(link.section_index),
        context_sentences=context,
        other_links_in_paragraph=other_links,
        anchor_link_uses=len(anchor_links),
        anchor_text_mentions=mentions,
        anchor_uses_in_link_section=links_in_section + in_section,
        target_domain_other_links=others,
    )


def tiers_of(links: list[LinkMetric]) -> list[TrustTier]:
    """Return the distinct trust tiers of links, best first."""
    found = {lk.trust_tier for lk in links if lk.trust_tier is not None}
    return sorted(found, key=TIER_ORDER.index)
