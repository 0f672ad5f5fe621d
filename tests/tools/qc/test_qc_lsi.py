"""LSI near-window, term matching, subtopics and forbidden angles."""

from __future__ import annotations

import pytest
from qc_factories import add_paragraph, crafted, load_package, target_markdown

from schemas.enums import BridgeType
from schemas.job_package import JobPackage
from tools.qc import measure_article
from tools.qc.lsi import lsi_candidates
from tools.qc.terms import term_in, tokens, word_matches


@pytest.mark.parametrize(
    ("term_word", "token", "match"),
    [
        ("laddbox", "laddboxen", True),
        ("laddbox", "laddboxar", True),
        ("säkring", "huvudsäkringen", True),
        ("laddeffekt", "laddeffekten", True),
        ("charger", "chargers", True),
        ("car", "cars", True),
        ("bil", "bilen", True),
        ("car", "card", False),
        ("laddbox", "laddbar", False),
        ("installation", "installera", False),
    ],
)
def test_word_matches_tolerates_inflection(term_word: str, token: str, match: bool) -> None:
    assert word_matches(term_word, token) is match


def test_multiword_terms_need_every_content_word() -> None:
    text = tokens("Funktionen sänker laddeffekten när värmepumpen går.")
    assert term_in("laddeffekt", text)
    assert term_in("load balancing", tokens("Ask about load balancing today."))
    assert not term_in("load balancing", tokens("Ask about the load."))


def test_window_counts_distinct_terms(article: str, package: JobPackage) -> None:
    lsi = measure_article(article, package).lsi

    assert lsi.window_sentences == 5
    assert lsi.count == 7
    assert lsi.distinct_roots == 7
    assert lsi.repeated_roots == []
    assert lsi.anchor_word_repeats == {}
    assert "load balancing" in lsi.found or "lastbalansering" in lsi.found


def test_terms_outside_the_window_do_not_count() -> None:
    package = load_package("sv")
    text = crafted("structure_sv.md")  # link in an H2: no near-window at all
    assert measure_article(text, package).lsi.window_sentences == 0

    article = (
        "# T\n\n## A\n\nEtt. Två. Tre. Fyra om lastbalansering och laddeffekt.\n\n"
        "Fem. Sex. Sju.\n\nÅtta med "
        + target_markdown(package)
        + " här. Nio. Tio.\n\n## B\n\nSlut.\n"
    )
    lsi = measure_article(article, package).lsi
    assert lsi.window_sentences == 5
    assert lsi.count == 0


def test_over_optimisation_is_detected() -> None:
    lsi = measure_article(crafted("overoptimised_sv.md"), load_package("sv")).lsi
    assert lsi.anchor_word_repeats["laddbox"] >= 5
    assert lsi.anchor_word_repeats.get("villan") is None


def test_bridge_theme_joins_candidates_only_for_pivot_and_wrapper() -> None:
    package = load_package("sv")
    assert "energiomställning" not in lsi_candidates(package, "energiomställning")
    intent = package.intent_extension
    assert intent is not None
    pivot = package.model_copy(
        update={
            "intent_extension": intent.model_copy(
                update={"recommended_bridge_type": BridgeType.pivot}
            )
        }
    )
    assert lsi_candidates(pivot, "energiomställning")[-1] == "energiomställning"


def test_subtopics_and_forbidden_angles(article: str, package: JobPackage) -> None:
    intent = measure_article(article, package).intent
    assert intent.subtopics_missing == []
    assert intent.forbidden_found == []

    forbidden = (
        "Vi lovar en garanterad besparing för alla."
        if package.generation_constraints.language == "sv"
        else "We promise guaranteed savings for everyone."
    )
    changed = measure_article(add_paragraph(article, forbidden, "Install"), package).intent
    assert changed.forbidden_found == [package.intent_extension.forbidden_angles[0]]  # type: ignore[union-attr]


def test_missing_subtopic_is_reported() -> None:
    package = load_package("sv")
    article = crafted("overoptimised_sv.md")
    intent = measure_article(article, package).intent
    assert "skattereduktion" in intent.subtopics_missing
    assert "lastbalansering" in intent.subtopics_missing
