"""Fixtures for the QC tests: the example packages and their compliant articles."""

from __future__ import annotations

import pytest
from qc_factories import Lang, load_article, load_package

from schemas.job_package import JobPackage


@pytest.fixture(params=["sv", "en"])
def lang(request: pytest.FixtureRequest) -> Lang:
    """Run a test once per article language."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def package(lang: Lang) -> JobPackage:
    """The complete job package for the language."""
    return load_package(lang)


@pytest.fixture
def article(lang: Lang) -> str:
    """The compliant article for the language."""
    return load_article(lang)
