"""Target link, anchor usage, trust tiers, unrequested links and placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from qc_factories import (
    add_paragraph,
    crafted,
    link_anchor_times,
    link_in_h2,
    load_package,
    target_markdown,
)

from schemas.enums import TrustTier
from schemas.job_package import JobPackage
from tools.qc import measure_article
from tools.qc.links import same_url
from tools.qc.trust import load_registry


def test_target_link_placement_in_compliant_article(article: str, package: JobPackage) -> None:
    target = measure_article(article, package).target

    assert target.found and target.link_count == 1
    assert target.anchor_text_matches
    assert target.location == "paragraph"
    assert target.section_index == 2
    assert target.section_title in ("Så väljer du rätt laddbox", "How to choose the right charger")
    assert target.paragraph_index_in_section == 1
    assert target.in_middle_section
    assert target.context_sentences == 3
    assert target.other_links_in_paragraph == 0
    assert target.anchor_link_uses == 1 and target.anchor_text_mentions == 0
    assert article[target.offset_chars :].startswith(target_markdown(package))


def test_target_link_in_h2_is_located_in_the_heading(article: str, package: JobPackage) -> None:
    metrics = measure_article(article, package)
    title = metrics.structure.h2_titles[1]
    target = measure_article(link_in_h2(article, package, title), package).target

    assert target.found
    assert target.location == "h2"
    assert target.paragraph_index_in_section is None
    assert target.heading_text is not None and target.heading_text.startswith(title)


def test_anchor_usage_counts_links_and_plain_mentions(article: str, package: JobPackage) -> None:
    anchor = package.input_minimal.anchor_text
    text = link_anchor_times(article, package, 4)
    text = add_paragraph(text, f"Mer om {anchor.upper()} senare.", "Installation")
    target = measure_article(text, package).target

    assert target.link_count == 4
    assert target.anchor_link_uses == 4
    assert target.anchor_text_mentions == 1
    assert target.anchor_usages == 5


def test_trust_links_are_tiered(article: str, package: JobPackage) -> None:
    metrics = measure_article(article, package)
    tiers = {lk.domain: lk.trust_tier for lk in metrics.links if not lk.is_target}

    assert metrics.trust.trust_link_count == 2
    assert metrics.trust.unrequested_links == []
    if package.generation_constraints.language == "sv":
        assert tiers == {
            "energimyndigheten.se": TrustTier.T1_public,
            "elsakerhetsverket.se": TrustTier.T1_public,
        }
    else:
        assert tiers == {
            "gov.uk": TrustTier.T1_public,
            "energysavingtrust.org.uk": TrustTier.T3_industry,
        }
        assert metrics.trust.tiers == [TrustTier.T1_public, TrustTier.T3_industry]


@pytest.mark.parametrize(
    ("url", "tier"),
    [
        ("https://www.konsumentverket.se/omraden/el", TrustTier.T1_public),
        ("https://www.1177.se/", TrustTier.T1_public),
        ("https://www.gov.uk/guidance", TrustTier.T1_public),
        ("https://ec.europa.eu/energy", TrustTier.T1_public),
        ("https://www.who.int/news", TrustTier.T1_public),
        ("https://www.regjeringen.no/no/tema", TrustTier.T1_public),
        ("https://www.energy.gov/eere", TrustTier.T1_public),
        ("https://pubmed.ncbi.nlm.nih.gov/123", TrustTier.T2_academic),
        ("https://www.kth.se/forskning", TrustTier.T2_academic),
        ("https://www.ox.ac.uk/research", TrustTier.T2_academic),
        ("https://web.mit.edu/", TrustTier.T2_academic),
        ("https://doi.org/10.1000/1", TrustTier.T2_academic),
        ("https://www.iso.org/standard/1.html", TrustTier.T3_industry),
        ("https://www.svenskhandel.se/", TrustTier.T3_industry),
        ("https://www.svt.se/nyheter", TrustTier.T4_media),
        ("https://www.bbc.co.uk/news", TrustTier.T4_media),
        ("https://www.reuters.com/world", TrustTier.T4_media),
        ("https://www.random-shop.example/deal", None),
        ("https://notgov.uk/", None),
        ("https://evil-europa.eu.example.com/", None),
        ("https://sv.wikipedia.org/wiki/Elbil", None),
    ],
)
def test_registry_tiers(url: str, tier: TrustTier | None) -> None:
    assert load_registry().tier_of(url) is tier


def test_unknown_ugc_and_placeholder_links_are_flagged() -> None:
    package = load_package("sv")
    text = crafted("structure_sv.md") + (
        "\nEn källa till: [Wikipedia](https://sv.wikipedia.org/wiki/Laddbox).\n"
    )
    metrics = measure_article(text, package)
    flagged = {lk.domain: lk.reason for lk in metrics.links if lk.unrequested}

    assert set(flagged) == {"example.org", "random-shop.example", "sv.wikipedia.org"}
    assert "unknown domain" in flagged["random-shop.example"]
    assert "user-generated" in flagged["sv.wikipedia.org"]
    assert metrics.trust.trust_domains == ["konsumentverket.se", "skatteverket.se"]
    assert len(metrics.trust.placeholders) == 1
    assert metrics.trust.placeholders[0].startswith("PLATSFÖRSLAG")


def test_publisher_links_are_not_unrequested() -> None:
    package = load_package("sv")
    text = crafted("structure_sv.md").replace(
        "https://www.random-shop.example/deal", "https://blogg.villaliv.se/energi"
    )
    metrics = measure_article(text, package)
    own = next(lk for lk in metrics.links if lk.domain == "blogg.villaliv.se")
    assert not own.unrequested and own.trust_tier is None


def test_registry_path_can_be_overridden(tmp_path: Path) -> None:
    registry = tmp_path / "trust.yaml"
    registry.write_text("T3_industry:\n  - random-shop.example\n", encoding="utf-8")
    package = load_package("sv")
    metrics = measure_article(crafted("structure_sv.md"), package, trust_registry=registry)
    tiers = {lk.domain: lk.trust_tier for lk in metrics.links}

    assert tiers["random-shop.example"] is TrustTier.T3_industry
    assert tiers["skatteverket.se"] is None  # not in the operator's registry


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.example.se/elbil/laddbox", "http://example.se/elbil/laddbox/", True),
        ("https://example.se/elbil/laddbox#pris", "https://example.se/elbil/laddbox", True),
        ("https://example.se/elbil/laddbox?a=1", "https://example.se/elbil/laddbox", False),
        ("https://example.se/elbil", "https://example.se/elbil/laddbox", False),
    ],
)
def test_same_url(a: str, b: str, same: bool) -> None:
    assert same_url(a, b) is same
