"""Split plain text into sentences and words (Swedish and English aware)."""

from __future__ import annotations

import re

__all__ = ["normalise", "split_sentences", "strip_urls", "words"]

# Abbreviations that rarely end a sentence, so a capital letter after them does not split.
_ABBREVIATIONS = frozenset(
    {
        # Swedish
        "t.ex.", "bl.a.", "d.v.s.", "dvs.", "s.k.", "p.g.a.", "pga.", "m.fl.", "fr.o.m.",
        "t.o.m.", "inkl.", "exkl.", "jfr.", "resp.", "ca.", "nr.", "kl.", "st.", "ev.", "f.d.",
        "o.s.v.", "m.m.", "enl.", "tel.", "sek.",
        # Norwegian and Danish
        "f.eks.", "mv.", "pkt.",
        # English
        "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "prof.", "vs.", "no.", "approx.", "fig.",
        "inc.", "ltd.", "co.", "u.s.", "u.k.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.",
        "dec.",
    }
)  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…]+[)\"”’»]*\s+")
_OPENERS = "\"“”«»('‘-–—*"
_INITIAL = re.compile(r"\w\.", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return text lower-cased with runs of whitespace collapsed to one space."""
    return _SPACE.sub(" ", text).strip().lower()


def strip_urls(text: str) -> str:
    """Return text without bare URLs."""
    return _URL.sub(" ", text)


def words(text: str) -> list[str]:
    """Return the words of text, URLs excluded."""
    return _WORD.findall(strip_urls(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        following = text[match.end() : match.end() + 1]
        if not following or not (
            following.isupper() or following.isdigit() or following in _OPENERS
        ):
            continue
        head = text[start : match.start() + 1].split()
        last = head[-1].lower() if head else ""
        if last in _ABBREVIATIONS or _INITIAL.fullmatch(last):
            continue
        end = match.start() + len(match.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    tail_end = len(text.rstrip())
    if text[start:tail_end].strip():
        spans.append((start, tail_end))
    return spans
