"""Detect the article's language offline with py3langid, restricted to plausible languages."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from schemas.enums import Language
from schemas.metrics import LanguageMetrics

__all__ = ["CANDIDATE_LANGUAGES", "detect_language", "measure_language"]

# The job languages plus the neighbours an article is most likely to be mistaken for.
CANDIDATE_LANGUAGES = ("sv", "en", "no", "nn", "da", "de", "fi", "nl", "fr", "es", "it", "pl")
_ALIASES = {"nn": "no", "nb": "no"}


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, confidence 0-1) of text; ('und', 0.0) for empty text."""
    if not text.strip():
        return "und", 0.0
    code, confidence = _identifier().classify(text)
    return _ALIASES.get(code, code), round(float(confidence), 3)


def measure_language(text: str, expected: Language) -> LanguageMetrics:
    """Compare the detected language of text with the job's language."""
    code, confidence = detect_language(text)
    return LanguageMetrics(expected=expected, detected=code, confidence=confidence)
