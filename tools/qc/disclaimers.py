"""Disclaimer wording the reviser can insert, per regulated vertical and language."""

from __future__ import annotations

from schemas.enums import Language, Vertical

__all__ = ["disclaimer_text"]

_FINANCE = {
    Language.sv: (
        "Alla investeringar innebär risk och du kan förlora pengar. Artikeln är allmän "
        "information och inte finansiell rådgivning."
    ),
    Language.en: (
        "All investing involves risk and you may lose money. This article is general "
        "information, not financial advice."
    ),
    Language.no: (
        "All investering innebærer risiko, og du kan tape penger. Artikkelen er generell "
        "informasjon og ikke finansiell rådgivning."
    ),
    Language.da: (
        "Al investering indebærer risiko, og du kan tabe penge. Artiklen er generel "
        "information og ikke finansiel rådgivning."
    ),
}
_TEXTS: dict[Vertical, dict[Language, str]] = {
    Vertical.gambling: {
        Language.sv: (
            "Spel kan vara beroendeframkallande. 18+. Behöver du stöd, kontakta Stödlinjen "
            "på 020-819 100 eller stodlinjen.se."
        ),
        Language.en: (
            "Gambling can be addictive. 18+ only. For support, contact BeGambleAware "
            "(begambleaware.org) or the National Gambling Helpline on 0808 8020 133."
        ),
        Language.no: (
            "Pengespill kan skape avhengighet. 18 års aldersgrense. Trenger du hjelp, kontakt "
            "Hjelpelinjen på 800 800 40."
        ),
        Language.da: (
            "Spil kan være vanedannende. 18+. Har du brug for hjælp, kontakt StopSpillet "
            "på 70 22 28 25."
        ),
    },
    Vertical.finance: _FINANCE,
    Vertical.crypto: _FINANCE,
    Vertical.health: {
        Language.sv: (
            "Artikeln ersätter inte medicinsk rådgivning. Kontakta din vårdcentral eller 1177 "
            "vid frågor om din hälsa."
        ),
        Language.en: (
            "This article is not medical advice. See your doctor if you have concerns about "
            "your health."
        ),
        Language.no: "Artikkelen er ikke medisinsk rådgivning. Kontakt lege ved spørsmål.",
        Language.da: "Artiklen er ikke medicinsk rådgivning. Kontakt din læge ved spørgsmål.",
    },
    Vertical.legal: {
        Language.sv: "Artikeln är allmän information och inte juridisk rådgivning.",
        Language.en: "This article is general information, not legal advice.",
        Language.no: "Artikkelen er generell informasjon og ikke juridisk rådgivning.",
        Language.da: "Artiklen er generel information og ikke juridisk rådgivning.",
    },
}


def disclaimer_text(vertical: Vertical, language: Language) -> str:
    """Return a disclaimer that satisfies the vertical's checks, in the job's language."""
    texts = _TEXTS.get(vertical, {})
    return texts.get(language) or texts.get(Language.en, "")
