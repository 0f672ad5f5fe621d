"""Deterministic Next-A1 QC: measure an article, score the eight criteria, derive extensions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from schemas.enums import BridgeType
from schemas.job_package import JobPackage
from schemas.qc import QCReport, QCRubric
from tools.qc.extension import derive_links_extension
from tools.qc.metrics import measure_article
from tools.qc.scoring import build_report, score_rules

__all__ = [
    "build_report",
    "derive_links_extension",
    "measure_article",
    "review_article",
    "score_rules",
]


def review_article(
    markdown: str,
    package: JobPackage,
    rubric: QCRubric | None = None,
    article_bridge_type: BridgeType | None = None,
    extra_review_reasons: Iterable[str] = (),
    *,
    bridge_theme: str = "",
    trust_registry: Path | None = None,
    autofix_done: bool = False,
) -> QCReport:
    """Measure an article and return its QC report (rules, plus the rubric when given)."""
    metrics = measure_article(
        markdown, package, bridge_theme=bridge_theme, trust_registry=trust_registry
    )
    return build_report(
        metrics,
        package,
        rubric,
        article_bridge_type=article_bridge_type,
        extra_review_reasons=extra_review_reasons,
        autofix_done=autofix_done,
    )
