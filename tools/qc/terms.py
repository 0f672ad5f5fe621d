"""Match topic terms against text with tolerance for inflection and Swedish compounds."""

from __future__ import annotations

from tools.qc.text import words

__all__ = ["STOPWORDS", "content_words", "root_of", "term_in", "tokens", "word_matches"]

_STOPWORDS_TEXT = """
    och i på för till med av en ett att det den som är om eller vid från hur vad när din ditt
    dina man kan ska inte har the of and for to in a an on with at by from or how what your you
    is are be can not og til af et er der hvordan
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_MIN_STEM = 5
_SHORT_ENDINGS = frozenset({"s", "es", "en", "er", "ar", "na", "et", "or", "ens", "ars", "arna"})


def tokens(text: str) -> list[str]:
    """Return the lower-cased words of text."""
    return [w.lower() for w in words(text)]


def content_words(term: str) -> list[str]:
    """Return the words of a term that carry meaning (stopwords and 1-2 letter words dropped)."""
    found = [w for w in tokens(term) if w not in STOPWORDS and len(w) > 2]
    return found or tokens(term)


def root_of(word: str) -> str:
    """Return a crude root: the first five letters of a long word, else the word."""
    return word[:_MIN_STEM] if len(word) > _MIN_STEM else word


def word_matches(term_word: str, token: str) -> bool:
    """Return True when a text token is the term word, an inflection of it or a compound of it."""
    if term_word == token:
        return True
    shorter = min(len(term_word), len(token))
    if shorter < _MIN_STEM:
        # Short words only take a plain inflection ending: "car" -> "cars", "bil" -> "bilen".
        return token.startswith(term_word) and token[len(term_word) :] in _SHORT_ENDINGS
    prefix = 0
    for a, b in zip(term_word, token, strict=False):
        if a != b:
            break
        prefix += 1
    if prefix >= max(_MIN_STEM, shorter - 1):
        return True
    # Swedish compounds put the head last: "säkring" in "huvudsäkringen".
    return len(term_word) >= 6 and term_word in token


def term_in(term: str, text_tokens: list[str] | set[str]) -> bool:
    """Return True when every content word of term matches some token."""
    pool = set(text_tokens)
    return all(any(word_matches(word, token) for token in pool) for word in content_words(term))
