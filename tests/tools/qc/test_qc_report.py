"""Rubric blending, human-review reasons, qc_extension and links_extension."""

from __future__ import annotations

from qc_factories import (
    append_to_last_paragraph,
    crafted,
    link_in_h2,
    load_article,
    load_package,
    strip_links,
    truncate,
    with_bridge,
    with_low_confidence,
    with_overall,
    with_vertical,
)

from schemas.enums import AlignmentLevel, BridgeType, Criterion, TrustTier, Vertical
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from schemas.qc import QCRubric, RubricItem
from tools.qc import derive_links_extension, measure_article, review_article, score_rules
from tools.qc.disclaimers import disclaimer_text
from tools.qc.scoring import build_report


def _rubric(score: int, fix: str = "") -> QCRubric:
    return QCRubric(
        items=[
            RubricItem(criterion=c, score=score, finding=f"{c} judged {score}.", fix=fix)
            for c in ("DRAFT", "INTENT", "FIT")
        ]
    )


def test_praising_rubric_does_not_lift_anchor_in_h2() -> None:
    package = load_package("sv")
    article = link_in_h2(load_article("sv"), package, "Så väljer du rätt laddbox")
    plain = review_article(article, package)
    praised = review_article(article, package, rubric=_rubric(100))

    assert praised.score_of(Criterion.ANCHOR) == plain.score_of(Criterion.ANCHOR) <= 20
    assert praised.get(Criterion.ANCHOR).decided_by == "rules"
    assert praised.human_review.required


def test_praising_rubric_cannot_lift_a_capped_judgement_criterion() -> None:
    package = load_package("sv")
    article = truncate(load_article("sv"), 400)
    report = review_article(article, package, rubric=_rubric(100))
    draft = report.get(Criterion.DRAFT)

    assert draft.score == review_article(article, package).score_of(Criterion.DRAFT) < 50
    assert draft.decided_by == "rules"
    assert "Reviewer: DRAFT judged 100." in draft.findings


def test_harsh_rubric_lowers_fit(article: str, package: JobPackage) -> None:
    report = review_article(
        article, package, rubric=_rubric(10, "Use the magazine's warmer, second-person voice.")
    )
    fit = report.get(Criterion.FIT)

    assert fit.score < 80
    assert fit.score < review_article(article, package).score_of(Criterion.FIT)
    assert fit.decided_by == "rules+llm"
    assert fit.fix is not None and "second-person voice" in fit.fix
    assert report.get(Criterion.ANCHOR).decided_by == "rules"


def test_harshest_duplicate_rubric_item_counts() -> None:
    package = load_package("en")
    rubric = QCRubric(
        items=[
            RubricItem(criterion="FIT", score=95, finding="Good.", fix=""),
            RubricItem(criterion="FIT", score=20, finding="Stiff tone.", fix="Loosen the tone."),
        ]
    )
    fit = review_article(load_article("en"), package, rubric=rubric).get(Criterion.FIT)
    assert fit.score == 60.0  # 0.5 * 100 (rules) + 0.5 * 20


def test_score_rules_returns_all_criteria(article: str, package: JobPackage) -> None:
    scores = score_rules(measure_article(article, package), package)
    assert list(scores) == list(Criterion)
    assert all(s.decided_by == "rules" for s in scores.values())


def test_bridge_mismatch_needs_review(article: str, package: JobPackage) -> None:
    report = review_article(article, package, article_bridge_type=BridgeType.wrapper)

    assert report.score_of(Criterion.PREFLIGHT) <= 60
    assert any("Bridge-type mismatch" in r for r in report.human_review.reasons)


def test_off_alignment_and_low_confidence(article: str, package: JobPackage) -> None:
    off = review_article(article, with_overall(package, AlignmentLevel.off))
    assert off.score_of(Criterion.INTENT) <= 40
    assert off.score_of(Criterion.PREFLIGHT) <= 40  # strong bridge with an alignment off
    assert "Overall intent alignment is 'off'." in off.human_review.reasons

    low = review_article(article, with_low_confidence(package))
    assert low.score_of(Criterion.PREFLIGHT) <= 30
    assert low.human_review.required


def test_off_alignment_bridged_by_a_wrapper_is_left_to_a_human(
    article: str, package: JobPackage
) -> None:
    wrapped = with_bridge(with_overall(package, AlignmentLevel.off), BridgeType.wrapper)
    report = review_article(article, wrapped, article_bridge_type=BridgeType.wrapper)
    intent = report.get(Criterion.INTENT)

    assert intent.score == 85
    assert intent.fix is None  # nothing the reviser could change
    assert report.score_of(Criterion.PREFLIGHT) == 100
    assert report.human_review.reasons == ["Overall intent alignment is 'off'."]


def test_extra_review_reasons_are_kept(article: str, package: JobPackage) -> None:
    report = review_article(article, package, extra_review_reasons=["Repeated failed fixes."])
    assert report.human_review.required
    assert report.human_review.reasons == ["Repeated failed fixes."]
    assert report.status.value == "PASS"


def test_placeholder_gives_partial_trust_credit() -> None:
    package = load_package("sv")
    article = strip_links(load_article("sv"), keep=package.input_minimal.target_url)
    with_placeholder = append_to_last_paragraph(
        article, "PLATSFÖRSLAG: en källa från Elsäkerhetsverket om installationskrav."
    )
    none = review_article(article, package).score_of(Criterion.TRUST)
    partial = review_article(with_placeholder, package)

    assert none < partial.score_of(Criterion.TRUST) <= 50
    assert any("PLATSFÖRSLAG" in r for r in partial.human_review.reasons)


def test_qc_extension(article: str, package: JobPackage) -> None:
    report = review_article(article, package)
    extension = report.qc_extension

    assert extension.anchor_risk == "low"
    assert extension.thresholds_version == "A1"
    if package.generation_constraints.language == "sv":
        assert extension.readability.lix is not None and extension.readability.flesch is None
        assert extension.readability.target_range == (35.0, 50.0)
    else:
        assert extension.readability.flesch is not None and extension.readability.lix is None
    assert extension.notes_observability.signals_used == [
        "target_entities",
        "publisher_profile",
        "SERP_intent",
        "trust_source",
    ]
    rebuilt = build_report(
        measure_article(article, package), package, autofix_done=True, blueprint_used=True
    )
    assert rebuilt.qc_extension.notes_observability.autofix_done
    assert "blueprint" in rebuilt.qc_extension.notes_observability.signals_used


def test_links_extension(article: str, package: JobPackage) -> None:
    metrics = measure_article(article, package)
    extension = derive_links_extension(metrics, package, bridge_theme="hemmaladdning")

    assert extension.bridge_type is BridgeType.strong
    assert extension.bridge_theme == "hemmaladdning"
    assert not extension.anchor_swap.performed
    assert extension.placement.paragraph_index_in_section == 1
    assert extension.placement.offset_chars == metrics.target.offset_chars
    assert extension.placement.near_window.radius == 2
    assert extension.placement.near_window.lsi_count == 7
    assert TrustTier.T1_public in extension.trust_policy.level
    assert not extension.trust_policy.fallback_used
    assert extension.trust_policy.unresolved == []
    assert extension.compliance.disclaimers_injected == []


def test_links_extension_records_disclaimers_and_swaps() -> None:
    package = with_vertical(load_package("sv"), Vertical.finance)
    profile = package.anchor_profile
    assert profile is not None
    package = package.model_copy(
        update={"anchor_profile": profile.model_copy(update={"proposed_text": "laddboxar"})}
    )
    article = append_to_last_paragraph(
        load_article("sv").replace("[laddbox till villan]", "[laddboxar]"),
        disclaimer_text(Vertical.finance, package.generation_constraints.language),
    )
    metrics = measure_article(article, package)
    extension = derive_links_extension(metrics, package)

    assert extension.compliance.disclaimers_injected == ["finance:risk", "finance:not_advice"]
    assert extension.anchor_swap.performed
    assert metrics.target.anchor_text_matches  # the proposed (swapped) anchor is accepted


def test_metrics_round_trip_as_json(article: str, package: JobPackage) -> None:
    metrics = measure_article(article, package)
    assert ArticleMetrics.model_validate_json(metrics.model_dump_json()) == metrics


def test_anchor_risk_levels() -> None:
    package = load_package("sv")
    overoptimised = review_article(crafted("overoptimised_sv.md"), package)
    assert overoptimised.qc_extension.anchor_risk == "high"  # exact commercial, no LSI context

    article = load_article("sv")
    repeated = article.replace(
        "Tänk även på laddkabeln,", "Tänk även på laddbox till villan och laddkabeln,"
    )
    report = review_article(repeated, package)
    assert report.qc_extension.anchor_risk == "high"  # the anchor repeated in one section
    assert any("Anchor risk is high" in r for r in report.human_review.reasons)
    assert report.score_of(Criterion.ANCHOR) <= 75


def test_link_in_a_table_is_moved_into_prose() -> None:
    package = load_package("sv")
    link = f"[laddbox till villan]({package.input_minimal.target_url})"
    table = f"| Produkt | Länk |\n|---|---|\n| Laddbox | {link} |"
    article = load_article("sv").replace(link, "laddbox till villan")
    article = article.replace("## Installation", table + "\n\n## Installation", 1)
    anchor = review_article(article, package).get(Criterion.ANCHOR)

    assert anchor.score <= 50
    assert anchor.fix is not None and "into paragraph 1-2" in anchor.fix
