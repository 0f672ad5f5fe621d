"""Readability: LIX for Swedish, Norwegian and Danish, Flesch reading ease for English."""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

from schemas.enums import Language
from schemas.metrics import ReadabilityMetrics
from tools.qc.text import words

__all__ = ["FLESCH_RANGE", "LIX_RANGE", "flesch", "lix", "measure_readability", "syllables"]

LIX_RANGE = (35.0, 50.0)
FLESCH_RANGE = (60.0, 70.0)
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SOUNDED_ES = ("ses", "ces", "ges", "zes", "xes", "shes", "ches")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalpha())


def syllables(word: str) -> int:
    """Return the syllables of an English word (the larger of pyphen and a vowel-group count)."""
    w = _letters(word).lower()
    if not w:
        return 0
    groups = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1  # silent final e: "charge", "home"
    if groups > 1 and len(w) > 3 and w[-3] not in "aeiouy":
        # "charged" and "quotes" lose a syllable; "wanted" and "charges" keep it.
        silent_ed = w.endswith("ed") and w[-3] not in "td"
        silent_es = w.endswith("es") and not w.endswith(_SOUNDED_ES)
        if silent_ed or silent_es:
            groups -= 1
    hyphenated = len(_hyphenator().positions(w)) + 1
    return max(groups, hyphenated, 1)


def _counts(sentences: list[str]) -> tuple[list[str], int]:
    all_words = [w for s in sentences for w in words(s) if _letters(w)]
    return all_words, max(len(sentences), 1)


def lix(sentences: list[str]) -> float:
    """Return LIX = words/sentences + 100 * long words (more than 6 letters) / words."""
    all_words, n_sentences = _counts(sentences)
    if not all_words:
        return 0.0
    long_words = sum(1 for w in all_words if len(_letters(w)) > 6)
    return round(len(all_words) / n_sentences + 100 * long_words / len(all_words), 1)


def flesch(sentences: list[str]) -> float:
    """Return Flesch reading ease = 206.835 - 1.015 words/sentence - 84.6 syllables/word."""
    all_words, n_sentences = _counts(sentences)
    if not all_words:
        return 0.0
    n_syllables = sum(syllables(w) for w in all_words)
    score = 206.835 - 1.015 * len(all_words) / n_sentences - 84.6 * n_syllables / len(all_words)
    return round(score, 1)


def measure_readability(sentences: list[str], language: Language) -> ReadabilityMetrics:
    """Measure readability with the metric that fits the job's language."""
    all_words, n_sentences = _counts(sentences)
    if language is Language.en:
        return ReadabilityMetrics(
            metric="flesch",
            value=flesch(sentences),
            target_range=FLESCH_RANGE,
            words=len(all_words),
            sentences=n_sentences,
        )
    return ReadabilityMetrics(
        metric="lix",
        value=lix(sentences),
        target_range=LIX_RANGE,
        words=len(all_words),
        sentences=n_sentences,
    )
