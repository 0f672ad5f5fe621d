"""Data confidence rules, one test per branch."""

from __future__ import annotations

import pytest

from schemas.enums import DataConfidence
from schemas.evidence import PageEvidence, ResearchEvidence, SerpEvidence, SerpHit
from tools.research.confidence import data_confidence


def _page(**overrides: object) -> PageEvidence:
    values: dict[str, object] = {
        "url": "https://t.example/",
        "http_status": 200,
        "main_text": "Some text about the topic.",
        "language": "sv",
    }
    values.update(overrides)
    return PageEvidence.model_validate(values)


def _serp(results: int) -> SerpEvidence:
    hits = [SerpHit(rank=i, url=f"https://r{i}.example/") for i in range(1, results + 1)]
    return SerpEvidence(query="q", hits=hits)


def _evidence(
    target: PageEvidence | None = None, serp: tuple[int, ...] = (5, 4), publisher_pages: int = 2
) -> ResearchEvidence:
    return ResearchEvidence(
        target=target or _page(),
        serp=[_serp(n) for n in serp],
        publisher_pages=[_page(url=f"https://p.example/{i}") for i in range(publisher_pages)],
    )


def test_high_when_everything_was_found():
    assert data_confidence(_evidence()) is DataConfidence.high


@pytest.mark.parametrize(
    "evidence",
    [
        _evidence(target=_page(http_status=None, main_text="", error="fetch: timed out")),
        _evidence(target=_page(http_status=404, main_text="", error="fetch: HTTP 404")),
        _evidence(target=_page(main_text="   ")),
        _evidence(serp=()),
        _evidence(serp=(0, 0)),
        _evidence(publisher_pages=0),
    ],
    ids=["target-failed", "target-404", "target-no-text", "no-serp", "empty-serp", "no-pub"],
)
def test_low(evidence: ResearchEvidence):
    assert data_confidence(evidence) is DataConfidence.low


def test_low_when_publisher_pages_all_failed():
    evidence = _evidence(publisher_pages=0).model_copy(
        update={"publisher_pages": [_page(error="fetch: HTTP 500", http_status=500)]}
    )
    assert data_confidence(evidence) is DataConfidence.low


@pytest.mark.parametrize(
    "evidence",
    [
        _evidence(serp=(5,)),
        _evidence(serp=(5, 2)),
        _evidence(publisher_pages=1),
        _evidence(target=_page(language=None)),
    ],
    ids=["one-serp-set", "thin-second-set", "one-publisher-page", "target-language-unknown"],
)
def test_medium(evidence: ResearchEvidence):
    assert data_confidence(evidence) is DataConfidence.medium
