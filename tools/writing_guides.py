"""Writing guidance drawn from Next-A1 (§4 bridges, §8 voices, §10 disclaimers) for prompts."""

from __future__ import annotations

from schemas.enums import BridgeType, Language, ToneClass, Vertical

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

_DISCLAIMERS: dict[Vertical, dict[Language, str]] = {
    Vertical.gambling: {
        Language.sv: "Spel är för dig som är 18+. Spela ansvarsfullt – behöver du stöd finns "
        "Stödlinjen på 020-819 100 (stodlinjen.se).",
        Language.en: "Gambling is for adults 18+. Play responsibly – for free, confidential "
        "support contact BeGambleAware or GamCare.",
    },
    Vertical.finance: {
        Language.sv: "Texten är allmän information och inte finansiell rådgivning. Lån och "
        "investeringar innebär risk – jämför villkor och läs på innan du bestämmer dig.",
        Language.en: "This article is general information, not financial advice. Borrowing "
        "and investing carry risk – compare terms before you decide.",
    },
    Vertical.crypto: {
        Language.sv: "Kryptotillgångar är mycket riskfyllda och du kan förlora hela "
        "insatsen. Texten är inte finansiell rådgivning.",
        Language.en: "Crypto assets are high risk and you can lose everything you invest. "
        "This is not financial advice.",
    },
    Vertical.health: {
        Language.sv: "Texten ersätter inte medicinsk rådgivning. Kontakta läkare eller 1177 "
        "om du har besvär.",
        Language.en: "This article is not medical advice. See a doctor if you have symptoms.",
    },
    Vertical.legal: {
        Language.sv: "Texten är allmän information och inte juridisk rådgivning.",
        Language.en: "This article is general information, not legal advice.",
    },
}


def disclaimer_for(vertical: Vertical | None, language: Language) -> str:
    """Return the disclaimer a vertical needs in the article's closing section, or ''."""
    if vertical is None or vertical not in _DISCLAIMERS:
        return ""
    texts = _DISCLAIMERS[vertical]
    return texts.get(language) or texts[Language.en]
