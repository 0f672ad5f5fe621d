"""A deterministic article blueprint in the job's language: title, opening line, headings.

Small completion-style models write far better when they continue a heading than when they
follow instructions; the blueprint gives them those headings (NEXT_A1 observability signal
`blueprint`). Pure: built from the job package only.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.enums import Language
from schemas.job_package import JobPackage

__all__ = ["Blueprint", "article_blueprint"]

_PHRASES: dict[Language, dict[str, str]] = {
    Language.sv: {
        "title": "{topic}: det här behöver du veta",
        "opener": "Den här guiden handlar om {topic_lower} och vad du ska tänka på.",
        "h1": "Därför spelar {t} roll",
        "h2": "Så fungerar {t} i praktiken",
        "h3": "{T}: kostnader och val",
        "close": "Sammanfattning och nästa steg",
    },
    Language.en: {
        "title": "{topic}: what you need to know",
        "opener": "This guide is about {topic_lower} and what to consider.",
        "h1": "Why {t} matters",
        "h2": "How {t} works in practice",
        "h3": "{T}: costs and choices",
        "close": "Summary and next steps",
    },
    Language.no: {
        "title": "{topic}: dette må du vite",
        "opener": "Denne guiden handler om {topic_lower} og hva du bør tenke på.",
        "h1": "Derfor er {t} viktig",
        "h2": "Slik fungerer {t} i praksis",
        "h3": "{T}: kostnader og valg",
        "close": "Oppsummering og neste steg",
    },
    Language.da: {
        "title": "{topic}: det skal du vide",
        "opener": "Denne guide handler om {topic_lower}, og hvad du skal overveje.",
        "h1": "Derfor er {t} vigtig",
        "h2": "Sådan fungerer {t} i praksis",
        "h3": "{T}: omkostninger og valg",
        "close": "Opsummering og næste skridt",
    },
}


@dataclass(frozen=True)
class Blueprint:
    title: str
    opener: str
    headings: tuple[str, ...]


def _usable(term: str) -> bool:
    """True for a readable topic; small models echo schema words like 'core_topics'."""
    letters = sum(ch.isalpha() for ch in term)
    return 3 <= len(term) <= 40 and "_" not in term and letters >= 0.7 * len(term)


def _topics(package: JobPackage) -> list[str]:
    target = package.target_profile
    intent = package.intent_extension
    terms = [
        *(intent.required_subtopics if intent else []),
        *(target.core_topics if target else []),
        package.input_minimal.anchor_text,
    ]
    return list(dict.fromkeys(t.strip() for t in terms if _usable(t.strip())))


def article_blueprint(package: JobPackage) -> Blueprint:
    """Return the title, an opening sentence and four H2 headings for the job."""
    phrases = _PHRASES[package.generation_constraints.language]
    anchor = package.input_minimal.anchor_text.strip()
    target = package.target_profile
    topic = (target.h1 if target and 0 < len(target.h1) <= 60 else anchor) or anchor
    topics = _topics(package) or [anchor]
    picks = [topics[i % len(topics)] for i in range(3)]
    headings = (
        phrases["h1"].format(t=picks[0], T=picks[0][:1].upper() + picks[0][1:]),
        phrases["h2"].format(t=picks[1], T=picks[1][:1].upper() + picks[1][1:]),
        phrases["h3"].format(t=picks[2], T=picks[2][:1].upper() + picks[2][1:]),
        phrases["close"],
    )
    title_topic = topic[:1].upper() + topic[1:]
    return Blueprint(
        title=phrases["title"].format(topic=title_topic),
        opener=phrases["opener"].format(topic_lower=topic[:1].lower() + topic[1:]),
        headings=headings,
    )
