"""Turn measurements (and an optional LLM rubric) into the eight-criterion Next-A1 QC report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from schemas.article import NotesObservability, QCExtension, Readability
from schemas.enums import CRITERION_WEIGHTS, AlignmentLevel, AnchorRisk, BridgeType, Criterion
from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics
from schemas.qc import RUBRIC_CRITERIA, CriterionScore, HumanReview, QCReport, QCRubric, status_for
from schemas.qc import RubricItem as Item
from tools.qc._rule import RuleResult
from tools.qc.rules_anchor import anchor_risk, anchor_rule
from tools.qc.rules_content import (
    compliance_rule,
    draft_rule,
    fit_rule,
    intent_rule,
    preflight_rule,
)
from tools.qc.rules_sources import lsi_rule, trust_rule

__all__ = ["RULE_WEIGHT", "build_report", "evaluate_rules", "score_rules"]

# Share of the rule score in a blended criterion; the reviewer's score makes up the rest.
RULE_WEIGHT = 0.5
Signal = Literal["target_entities", "publisher_profile", "SERP_intent", "trust_source", "blueprint"]


def evaluate_rules(
    metrics: ArticleMetrics, package: JobPackage, article_bridge_type: BridgeType | None = None
) -> dict[Criterion, RuleResult]:
    """Run every criterion's rules, keeping caps so a later blend cannot undo them."""
    return {
        Criterion.PREFLIGHT: preflight_rule(package, article_bridge_type),
        Criterion.DRAFT: draft_rule(metrics, package),
        Criterion.ANCHOR: anchor_rule(metrics, package),
        Criterion.TRUST: trust_rule(metrics, package),
        Criterion.INTENT: intent_rule(metrics, package),
        Criterion.LSI: lsi_rule(metrics),
        Criterion.FIT: fit_rule(metrics, package),
        Criterion.COMPLIANCE: compliance_rule(metrics, package),
    }


def _entry(criterion: Criterion, result: RuleResult, item: Item | None) -> CriterionScore:
    score, findings, fixes = result.value, list(result.findings), list(result.fixes)
    decided_by: Literal["rules", "llm", "rules+llm"] = "rules"
    if item is not None and criterion in RUBRIC_CRITERIA:
        blended = round(RULE_WEIGHT * score + (1 - RULE_WEIGHT) * item.score, 1)
        # The reviewer may lower a judgement criterion, never lift it past a rule cap.
        score = min(blended, result.cap)
        decided_by = "rules" if result.cap < blended else "rules+llm"
        if item.finding:
            findings.append(f"Reviewer: {item.finding}")
        if item.fix and item.score < 80:
            fixes.append(item.fix)
    return CriterionScore(
        criterion=criterion,
        score=score,
        weight=CRITERION_WEIGHTS[criterion],
        status=status_for(score),
        findings=findings,
        fix=" ".join(fixes) or None,
        decided_by=decided_by,
    )


def score_rules(
    metrics: ArticleMetrics, package: JobPackage, article_bridge_type: BridgeType | None = None
) -> dict[Criterion, CriterionScore]:
    """Score all eight criteria by rules alone."""
    results = evaluate_rules(metrics, package, article_bridge_type)
    return {c: _entry(c, r, None) for c, r in results.items()}


def _rubric_items(rubric: QCRubric | None) -> dict[Criterion, Item]:
    items: dict[Criterion, Item] = {}
    for item in rubric.items if rubric else []:
        criterion = Criterion(item.criterion)
        if criterion not in items or item.score < items[criterion].score:
            items[criterion] = item  # a duplicated criterion counts with its harsher score
    return items


def _review_reasons(
    criteria: list[CriterionScore],
    metrics: ArticleMetrics,
    package: JobPackage,
    risk: tuple[AnchorRisk, str],
    article_bridge_type: BridgeType | None,
) -> list[str]:
    reasons = [
        f"{c.criterion.value} is BLOCKED ({c.score:.0f} < 50)." for c in criteria if c.score < 50
    ]
    if risk[0] is AnchorRisk.high:
        reasons.append(f"Anchor risk is high: {risk[1]}.")
    intent = package.intent_extension
    if intent and intent.intent_alignment.overall is AlignmentLevel.off:
        reasons.append("Overall intent alignment is 'off'.")
    if metrics.trust.trust_link_count == 0:
        reasons.append(
            "No trust source found"
            + (" (PLATSFÖRSLAG unresolved)." if metrics.trust.placeholders else ".")
        )
    compliance = metrics.compliance
    if compliance.missing and compliance.vertical:
        reasons.append(
            f"Compliance violation: the {compliance.vertical.value} disclaimer lacks "
            + ", ".join(compliance.missing)
            + "."
        )
    if compliance.pii:
        reasons.append(f"Compliance violation: {len(compliance.pii)} personal data hit(s).")
    if intent and article_bridge_type and article_bridge_type is not intent.recommended_bridge_type:
        reasons.append(
            f"Bridge-type mismatch: the article uses {article_bridge_type.value}, the intent "
            f"extension recommends {intent.recommended_bridge_type.value}."
        )
    return reasons


def _signals(metrics: ArticleMetrics, package: JobPackage, blueprint_used: bool) -> list[Signal]:
    target = package.target_profile
    flags: dict[Signal, bool] = {
        "target_entities": bool(target and (target.core_entities or target.core_topics)),
        "publisher_profile": package.publisher_profile is not None,
        "SERP_intent": package.intent_extension is not None,
        "trust_source": metrics.trust.trust_link_count > 0,
        "blueprint": blueprint_used,
    }
    return [name for name, used in flags.items() if used]


def build_report(
    metrics: ArticleMetrics,
    package: JobPackage,
    rubric: QCRubric | None = None,
    *,
    article_bridge_type: BridgeType | None = None,
    extra_review_reasons: Iterable[str] = (),
    autofix_done: bool = False,
    blueprint_used: bool = False,
) -> QCReport:
    """Build the QC report: rule scores blended with the rubric, weighted overall, review flags.

    Args:
        metrics: The article's measurements.
        package: The job package the article was written for.
        rubric: The QC Reviewer's judgement of DRAFT, INTENT and FIT, if any.
        article_bridge_type: The bridge type the article was written with, to check it.
        extra_review_reasons: Reasons decided elsewhere (e.g. repeated failed fixes).
        autofix_done: Whether an autofix ran before this QC pass.
        blueprint_used: Whether the writer followed a section blueprint.
    """
    items = _rubric_items(rubric)
    results = evaluate_rules(metrics, package, article_bridge_type)
    criteria = [_entry(c, results[c], items.get(c)) for c in Criterion]
    overall = QCReport.weighted({c.criterion: c.score for c in criteria})
    risk = anchor_risk(metrics, package)
    reasons = _review_reasons(criteria, metrics, package, risk, article_bridge_type)
    reasons += [r for r in extra_review_reasons if r]
    read = metrics.readability
    readability = Readability(
        lix=read.value if read.metric == "lix" else None,
        flesch=read.value if read.metric == "flesch" else None,
        target_range=read.target_range,
    )
    return QCReport(
        criteria=criteria,
        overall=overall,
        status=status_for(overall),
        human_review=HumanReview(required=bool(reasons), reasons=reasons),
        qc_extension=QCExtension(
            anchor_risk=risk[0],
            readability=readability,
            notes_observability=NotesObservability(
                signals_used=_signals(metrics, package, blueprint_used), autofix_done=autofix_done
            ),
        ),
    )
