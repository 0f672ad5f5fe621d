"""Readability (LIX, Flesch) and language detection."""

from __future__ import annotations

import pytest

from schemas.enums import Language
from schemas.job_package import JobPackage
from tools.qc import measure_article
from tools.qc.language import detect_language, measure_language
from tools.qc.readability import flesch, lix, measure_readability, syllables


def test_lix_of_a_hand_counted_text() -> None:
    # 9 words, 2 sentences, 2 long words (omkring, trädgården): 9/2 + 100*2/9 = 26.7.
    assert lix(["Katten satt på mattan.", "Hunden sprang omkring i trädgården."]) == 26.7


def test_flesch_of_a_hand_counted_text() -> None:
    # 6 one-syllable words in one sentence: 206.835 - 1.015*6 - 84.6 = 116.1.
    assert flesch(["The cat sat on the mat."]) == 116.1


def test_flesch_drops_for_long_words() -> None:
    easy = flesch(["We can go home now.", "It is a nice day."])
    hard = flesch(
        ["Comprehensive electrification necessitates considerable infrastructure investment."]
    )
    assert easy > 90 > 0 > hard


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("charger", 2), ("charged", 1), ("charges", 2), ("electricity", 5), ("simple", 2)],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_metric_follows_the_job_language() -> None:
    sentences = ["Ett kort stycke.", "Ett till."]
    assert measure_readability(sentences, Language.sv).metric == "lix"
    assert measure_readability(sentences, Language.da).target_range == (35.0, 50.0)
    english = measure_readability(sentences, Language.en)
    assert english.metric == "flesch" and english.target_range == (60.0, 70.0)


def test_compliant_articles_are_in_range(article: str, package: JobPackage) -> None:
    readability = measure_article(article, package).readability
    low, high = readability.target_range
    assert low <= readability.value <= high
    assert readability.sentences > 50


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Det här är en text om hur du laddar elbilen hemma i garaget på natten.", "sv"),
        ("This is a text about how you charge the electric car at home at night.", "en"),
        ("Dette er en tekst om hvordan du lader elbilen hjemme i garasjen om natten.", "no"),
        ("Dette er en tekst om, hvordan du oplader elbilen derhjemme i garagen om natten.", "da"),
    ],
)
def test_language_detection(text: str, code: str) -> None:
    detected, confidence = detect_language(text)
    assert detected == code
    assert confidence > 0.5


def test_language_of_compliant_articles(article: str, package: JobPackage) -> None:
    language = measure_article(article, package).language
    assert language.matches
    assert language.confidence > 0.9


def test_language_mismatch() -> None:
    language = measure_language("This is plainly an English sentence about chargers.", Language.sv)
    assert language.detected == "en"
    assert not language.matches


def test_empty_text_is_undetermined() -> None:
    assert detect_language("  ") == ("und", 0.0)
