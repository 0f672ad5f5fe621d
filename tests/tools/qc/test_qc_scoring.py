"""The QC report: compliant articles pass, each single defect drops its criterion sharply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from qc_factories import (
    Lang,
    add_paragraph,
    link_anchor_times,
    link_in_h2,
    load_article,
    load_package,
    relink,
    strip_links,
    truncate,
    unlink_target,
    with_vertical,
    word_count,
)

from schemas.enums import Criterion, QCStatus, Vertical
from schemas.job_package import JobPackage
from schemas.qc import QCReport
from tools.qc import review_article

Mutation = Callable[[str, JobPackage, Lang], tuple[str, JobPackage]]
_H2 = {"sv": "Så väljer du rätt laddbox", "en": "How to choose the right charger"}
_SHOP = {
    "sv": "Läs också [det här erbjudandet](https://www.random-shop.example/deal) innan du köper.",
    "en": "Also read [this offer](https://www.random-shop.example/deal) before you buy.",
}
_OTHER: dict[Lang, Lang] = {"sv": "en", "en": "sv"}
_LANGUAGE_NAME = {"sv": "Swedish", "en": "English"}


@dataclass(frozen=True)
class Defect:
    name: str
    apply: Mutation
    criterion: Criterion
    bound: float
    fix_words: tuple[str, ...]


def _short(md: str, pkg: JobPackage, lang: Lang) -> tuple[str, JobPackage]:
    text = truncate(md, 400)
    assert 350 <= word_count(text) <= 400
    return text, pkg


def _wrong_language(md: str, pkg: JobPackage, lang: Lang) -> tuple[str, JobPackage]:
    other = _OTHER[lang]
    return relink(load_article(other), load_package(other), pkg), pkg


DEFECTS = [
    Defect(
        "link_in_h2",
        lambda md, pkg, lang: (link_in_h2(md, pkg, _H2[lang]), pkg),
        Criterion.ANCHOR,
        20,
        ("Move the link", "out of the H2", "paragraph 1-2"),
    ),
    Defect(
        "no_target_link",
        lambda md, pkg, lang: (unlink_target(md, pkg), pkg),
        Criterion.ANCHOR,
        10,
        ("Add exactly one link", "paragraph 1-2"),
    ),
    Defect("400_words", _short, Criterion.DRAFT, 40, ("Expand the article", "words")),
    Defect(
        "anchor_linked_four_times",
        lambda md, pkg, lang: (link_anchor_times(md, pkg, 4), pkg),
        Criterion.ANCHOR,
        40,
        ("Keep one link", "unlink the other 3"),
    ),
    Defect(
        "no_trust_source",
        lambda md, pkg, lang: (strip_links(md, keep=pkg.input_minimal.target_url), pkg),
        Criterion.TRUST,
        40,
        ("Add 2 links to",),
    ),
    Defect(
        "missing_finance_disclaimer",
        lambda md, pkg, lang: (md, with_vertical(pkg, Vertical.finance)),
        Criterion.COMPLIANCE,
        40,
        ("Insert a finance disclaimer", "last section"),
    ),
    Defect(
        "missing_gambling_disclaimer",
        lambda md, pkg, lang: (md, with_vertical(pkg, Vertical.gambling)),
        Criterion.COMPLIANCE,
        40,
        ("Insert a gambling disclaimer", "18+"),
    ),
    Defect(
        "unknown_domain_link",
        lambda md, pkg, lang: (add_paragraph(md, _SHOP[lang], "Install"), pkg),
        Criterion.TRUST,
        40,
        ("Remove the link(s) to random-shop.example",),
    ),
    Defect("wrong_language", _wrong_language, Criterion.FIT, 20, ("Rewrite the whole article",)),
]


def _review(lang: Lang, defect: Defect | None = None) -> QCReport:
    article, package = load_article(lang), load_package(lang)
    if defect is not None:
        article, package = defect.apply(article, package, lang)
    return review_article(article, package)


def test_compliant_article_passes(lang: Lang) -> None:
    report = _review(lang)

    assert report.overall >= 80
    assert report.status is QCStatus.PASS
    assert not report.human_review.required, report.human_review.reasons
    assert all(c.score >= 80 for c in report.criteria), [
        (c.criterion, c.score, c.findings) for c in report.criteria
    ]
    assert report.qc_extension.anchor_risk == "low"
    assert report.failing == []


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.name)
def test_single_defect_drops_its_criterion(lang: Lang, defect: Defect) -> None:
    clean = _review(lang)
    report = _review(lang, defect)
    entry = report.get(defect.criterion)

    assert entry.score <= defect.bound, entry.findings
    assert entry.score < clean.score_of(defect.criterion)
    assert report.status is not QCStatus.PASS or report.human_review.required
    assert entry.findings
    assert entry.fix is not None
    for word in defect.fix_words:
        assert word in entry.fix, entry.fix
    assert entry in report.failing


def test_wrong_language_fix_names_the_job_language(lang: Lang) -> None:
    defect = next(d for d in DEFECTS if d.name == "wrong_language")
    fix = _review(lang, defect).get(Criterion.FIT).fix
    assert fix is not None and _LANGUAGE_NAME[lang] in fix


def test_gambling_fix_suggests_a_helpline(lang: Lang) -> None:
    defect = next(d for d in DEFECTS if d.name == "missing_gambling_disclaimer")
    fix = _review(lang, defect).get(Criterion.COMPLIANCE).fix
    assert fix is not None
    assert ("Stödlinjen" if lang == "sv" else "BeGambleAware") in fix


def test_draft_drops_with_length() -> None:
    package = load_package("sv")
    article = load_article("sv")
    scores = [
        review_article(truncate(article, n), package).score_of(Criterion.DRAFT)
        for n in (1100, 850, 700, 400)
    ]
    assert scores[0] == 100
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] < 50


def test_overall_is_the_weighted_sum(lang: Lang) -> None:
    report = _review(lang, DEFECTS[0])
    expected = QCReport.weighted({c.criterion: c.score for c in report.criteria})
    assert report.overall == expected
    assert [c.weight for c in report.criteria] == [0.10, 0.15, 0.15, 0.10, 0.15, 0.10, 0.15, 0.10]
