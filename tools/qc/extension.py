"""Derive the Next-A1 links_extension of an article from its measurements."""

from __future__ import annotations

from schemas.article import (
    AnchorSwap,
    ComplianceInfo,
    LinksExtension,
    NearWindow,
    Placement,
    TrustPolicy,
)
from schemas.enums import BridgeType, TrustTier
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from tools.qc.lsi import RADIUS
from tools.qc.text import normalise

__all__ = ["derive_links_extension"]


def _anchor_swap(metrics: ArticleMetrics, package: JobPackage) -> AnchorSwap:
    profile, text = package.anchor_profile, metrics.target.link_text
    original = normalise(package.input_minimal.anchor_text)
    if profile is None or text is None or normalise(text) == original:
        return AnchorSwap()
    if normalise(text) != normalise(profile.proposed_text):
        return AnchorSwap()
    return AnchorSwap(
        performed=True,
        from_type=profile.type_hint,
        to_type=profile.type,
        rationale="The link uses the anchor profile's proposed text, not the input anchor.",
    )


def derive_links_extension(
    metrics: ArticleMetrics, package: JobPackage, bridge_theme: str = ""
) -> LinksExtension:
    """Return the links_extension: bridge, anchor swap, placement, trust policy, disclaimers."""
    intent = package.intent_extension
    trust = metrics.trust
    only_media = trust.tiers == [TrustTier.T4_media]
    return LinksExtension(
        bridge_type=intent.recommended_bridge_type if intent else BridgeType.strong,
        bridge_theme=bridge_theme,
        anchor_swap=_anchor_swap(metrics, package),
        placement=Placement(
            paragraph_index_in_section=metrics.target.paragraph_index_in_section,
            offset_chars=metrics.target.offset_chars,
            near_window=NearWindow(radius=RADIUS, lsi_count=metrics.lsi.count),
        ),
        trust_policy=TrustPolicy(
            level=list(trust.tiers),
            fallback_used=only_media or (not trust.trust_link_count and bool(trust.placeholders)),
            unresolved=list(trust.placeholders),
        ),
        compliance=ComplianceInfo(
            disclaimers_injected=[
                f"{metrics.compliance.vertical.value}:{label}"
                for label in metrics.compliance.found + metrics.compliance.found_outside_closing
            ]
            if metrics.compliance.vertical
            else []
        ),
    )
