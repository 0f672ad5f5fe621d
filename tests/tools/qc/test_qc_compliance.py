"""Vertical disclaimers (in the closing part) and personal data."""

from __future__ import annotations

import pytest
from qc_factories import append_to_last_paragraph, with_vertical

from schemas.enums import Language, Vertical
from schemas.job_package import JobPackage
from tools.qc import measure_article
from tools.qc.compliance import find_pii
from tools.qc.disclaimers import disclaimer_text
from tools.writing_guides import disclaimer_for

REGULATED = [Vertical.gambling, Vertical.finance, Vertical.crypto, Vertical.health, Vertical.legal]
REQUIRED = {
    Vertical.gambling: ["age_18", "helpline"],
    Vertical.finance: ["risk", "not_advice"],
    Vertical.crypto: ["risk", "not_advice"],
    Vertical.health: ["not_medical_advice", "see_doctor"],
    Vertical.legal: ["general_information", "not_legal_advice"],
}


def _language(package: JobPackage) -> Language:
    return package.generation_constraints.language


@pytest.mark.parametrize("vertical", REGULATED)
def test_missing_disclaimer_is_reported(
    vertical: Vertical, article: str, package: JobPackage
) -> None:
    compliance = measure_article(article, with_vertical(package, vertical)).compliance
    assert compliance.required == REQUIRED[vertical]
    assert compliance.missing == REQUIRED[vertical]
    assert compliance.found == []


@pytest.mark.parametrize("vertical", REGULATED)
def test_disclaimer_in_closing_part_is_found(
    vertical: Vertical, article: str, package: JobPackage
) -> None:
    text = append_to_last_paragraph(article, disclaimer_text(vertical, _language(package)))
    compliance = measure_article(text, with_vertical(package, vertical)).compliance
    assert compliance.found == REQUIRED[vertical]
    assert compliance.missing == []


@pytest.mark.parametrize("vertical", REGULATED)
@pytest.mark.parametrize("language", list(Language))
def test_suggested_and_writer_disclaimers_pass_the_checks(
    vertical: Vertical, language: Language
) -> None:
    for text in (disclaimer_text(vertical, language), disclaimer_for(vertical, language)):
        article = f"# T\n\n## A\n\nText.\n\n## B\n\n{text}\n"
        package = with_vertical(_package_for(language), vertical)
        assert measure_article(article, package).compliance.missing == [], text


def _package_for(language: Language) -> JobPackage:
    from qc_factories import load_package

    package = load_package("sv")
    rules = package.generation_constraints.model_copy(update={"language": language})
    return package.model_copy(update={"generation_constraints": rules})


def test_disclaimer_only_in_the_intro_is_outside_the_closing_part(
    article: str, package: JobPackage
) -> None:
    disclaimer = disclaimer_text(Vertical.finance, _language(package))
    first_h2 = article.index("\n## ")
    text = article[:first_h2] + "\n\n" + disclaimer + article[first_h2:]
    compliance = measure_article(text, with_vertical(package, Vertical.finance)).compliance
    assert compliance.found == []
    assert compliance.found_outside_closing == ["risk", "not_advice"]
    assert compliance.missing == []


def test_no_disclaimer_needed_for_general_content(article: str, package: JobPackage) -> None:
    compliance = measure_article(article, package).compliance
    assert compliance.required == [] and compliance.missing == [] and compliance.pii == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Mejla anna.svensson@example.se för frågor.", ["email"]),
        ("Ring mig på 070-123 45 67 efter fem.", ["phone"]),
        ("Call me on +44 7700 900123 today.", ["phone"]),
        ("Hans personnummer är 19121212-1212.", ["personnummer"]),
        ("Kontakta Stödlinjen på 020-819 100.", []),
        ("Laddboxen klarar 11 kW och kostar 12 000 kr år 2024.", []),
        ("Ett ogiltigt nummer 121212-1213 är inget personnummer.", []),
    ],
)
def test_personal_data(text: str, kinds: list[str]) -> None:
    assert [hit.kind for hit in find_pii(text)] == kinds


def test_personal_data_is_redacted_in_metrics(article: str, package: JobPackage) -> None:
    text = append_to_last_paragraph(article, "Skriv till anna.svensson@example.se.")
    pii = measure_article(text, package).compliance.pii
    assert [hit.kind for hit in pii] == ["email"]
    assert "svensson" not in pii[0].redacted
