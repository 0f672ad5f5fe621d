"""Writing guidance drawn from Next-A1 (§4 bridges, §8 voices, §10 disclaimers) for prompts."""

from __future__ import annotations

from schemas.enums import BridgeType, Language, ToneClass, Vertical
from tools.qc.disclaimers import disclaimer_text

__all__ = ["BRIDGE_GUIDE", "LANGUAGE_NAMES", "VOICE_GUIDE", "disclaimer_for"]

LANGUAGE_NAMES = {
    Language.sv: "Swedish",
    Language.en: "English",
    Language.no: "Norwegian",
    Language.da: "Danish",
}

BRIDGE_GUIDE = {
    BridgeType.strong: (
        "Strong bridge: the anchor, the target page and the publisher's niche overlap. Put the "
        "link in the first clearly relevant main section, early, once context is set. "
        "Cite at least 1 trust source."
    ),
    BridgeType.pivot: (
        "Pivot bridge: open with a wider problem or question that ties the publisher's readers "
        "to the target's topic, then narrow down to it. Cite 1-2 trust sources."
    ),
    BridgeType.wrapper: (
        "Wrapper bridge: build a neutral frame first (method, risk, statistics, safety, "
        "sustainability); place the link only after the frame is set. Cite 2-3 trust sources."
    ),
}

VOICE_GUIDE = {
    ToneClass.academic: "Factual and cited, low emotional charge: intro, method, implications.",
    ToneClass.authority_public: "Plain official language: context, recommendation, how-to.",
    ToneClass.consumer_magazine: (
        "Accessible, benefit first, concrete examples: a hook, the core, depth, value."
    ),
    ToneClass.hobby_blog: (
        "Personal expertise and storytelling with practical tips: background, a case, tips."
    ),
}


def disclaimer_for(vertical: Vertical | None, language: Language) -> str:
    """Return the disclaimer a vertical needs in the article's closing section, or ''."""
    if vertical is None:
        return ""
    return disclaimer_text(vertical, language)
