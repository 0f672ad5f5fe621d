"""Find vertical disclaimers in the closing part of an article and personal data anywhere."""

from __future__ import annotations

import re

from schemas.enums import Vertical
from schemas.metrics import ComplianceMetrics, PiiHit
from tools.qc.structure import Document

__all__ = ["DISCLAIMER_PATTERNS", "closing_text", "find_pii", "measure_compliance"]

_I = re.IGNORECASE
# Each vertical's disclaimer parts; patterns cover Swedish, Norwegian, Danish and English.
_GAMBLING = {
    "age_18": (
        r"18\s*\+|18 år|(?:över|fyllt|minst) 18|(?:aged?|over|at least) 18|18 or over|18 years"
    ),
    "helpline": (
        r"stödlinjen|stodlinjen|020[-\s]?819\s?100|spelpaus|hjelpelinjen|stopspillet|rofus"
        r"|begambleaware|gambleaware|gamcare|gambling helpline|gamblers anonymous|0808\s?8020\s?133"
    ),
}
_FINANCE = {
    "risk": (
        r"\brisk|\brisiko|kan förlora|tape penger|tabe penge"
        r"|värdet kan (?:både )?(?:öka|stiga|sjunka|minska|gå ner)"
        r"|historisk avkastning|capital (?:is )?at risk|(?:may|could|can|might) lose"
        r"|value .{0,40}(?:go down|fall)|past performance"
    ),
    "not_advice": (
        r"inte (?:någon |en )?(?:finansiell|ekonomisk|personlig|investerings)\w* rådgivning"
        r"|utgör inte (?:\w+ )?rådgivning|ersätter inte (?:\w+ )?rådgivning"
        r"|ikke (?:\w+ )?rådgivning"
        r"|not (?:\w+ )?(?:financial|investment) advice|does not constitute (?:\w+ )?advice"
        r"|not (?:a )?(?:personal )?recommendation"
    ),
}
DISCLAIMER_PATTERNS: dict[Vertical, dict[str, str]] = {
    Vertical.gambling: _GAMBLING,
    Vertical.finance: _FINANCE,
    Vertical.crypto: _FINANCE,
    Vertical.health: {
        "not_medical_advice": (
            r"(?:inte|ej) (?:\w+ )?medicinsk rådgivning|ersätter (?:inte|ej) (?:\w+ )?(?:medicinsk|"
            r"vård|läkar|professionell)|ikke medi[sc]insk|not (?:\w+ )?medical advice"
            r"|not a substitute for (?:\w+ )?(?:medical|professional)|does not replace"
        ),
        "see_doctor": (
            r"kontakta (?:din |en )?(?:läkare|vårdcentral|sjukvård)|rådgör med (?:\w+ )?"
            r"(?:läkare|vårdpersonal)|1177|(?:see|consult|talk to|speak (?:to|with)) (?:a|your)"
            r" (?:doctor|gp|physician|pharmacist|healthcare)|nhs 111|lege|læge"
        ),
    },
    Vertical.legal: {
        "general_information": (
            r"allmän(?:na)? information|generel+ informa(?:tion|sjon)|general information"
        ),
        "not_legal_advice": (
            r"(?:inte|ej) (?:\w+ )?juridisk rådgivning|ersätter (?:inte|ej) (?:\w+ )?juridisk"
            r"|ikke juridisk rådgivning|not (?:\w+ )?legal advice|does not constitute legal advice"
        ),
    },
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{2}[\s-]?|0)\d{1,3}(?:[\s-]?\d{2,4}){2,4}(?!\d)")
_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?(\d{6})[-+]?(\d{4})(?!\d)")
# Public service numbers (freephone, helplines, health guidance) are not personal data.
_CONTACT = ("mailto:", "tel:")
_SERVICE_PREFIXES = ("020", "0200", "0800", "0808", "0900", "116", "1177", "112", "+4620")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 - i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _redact(value: str) -> str:
    return value[:3] + "***" if len(value) > 4 else "***"


def find_pii(text: str) -> list[PiiHit]:
    """Return e-mail addresses, phone numbers and Swedish personnummer found in text, redacted."""
    hits = [PiiHit(kind="email", redacted=_redact(m.group())) for m in _EMAIL.finditer(text)]
    for match in _PERSONNUMMER.finditer(text):
        date, tail = match.groups()
        month, day = int(date[2:4]), int(date[4:6])
        if 1 <= month <= 12 and 1 <= day <= 91 and _luhn_ok(date + tail):
            hits.append(PiiHit(kind="personnummer", redacted=_redact(match.group())))
    for match in _PHONE.finditer(text):
        compact = re.sub(r"[\s-]", "", match.group())
        if len(re.sub(r"\D", "", compact)) < 8 or compact.startswith(_SERVICE_PREFIXES):
            continue
        if any(h.redacted == _redact(match.group()) for h in hits):
            continue
        hits.append(PiiHit(kind="phone", redacted=_redact(match.group())))
    return hits


def closing_text(doc: Document) -> str:
    """Return the closing part: the last section plus the last quarter of the body text."""
    last = doc.sections[-1]
    heads = " ".join(h.text for h in last.headings)
    body = doc.body_text
    return f"{heads}\n{last.text}\n{body[len(body) * 3 // 4 :]}"


def measure_compliance(doc: Document, vertical: Vertical | None) -> ComplianceMetrics:
    """Check the vertical's disclaimer parts (closing part) and personal data (whole text)."""
    patterns = DISCLAIMER_PATTERNS.get(vertical, {}) if vertical else {}
    closing = closing_text(doc)
    full = doc.body_text + "\n" + " ".join(h.text for h in doc.headings)
    found = [label for label, rx in patterns.items() if re.search(rx, closing, _I)]
    outside = [
        label for label, rx in patterns.items() if label not in found and re.search(rx, full, _I)
    ]
    contact = [lk.href.split(":", 1)[1] for lk in doc.links if lk.href.startswith(_CONTACT)]
    return ComplianceMetrics(
        vertical=vertical,
        required=list(patterns),
        found=found,
        found_outside_closing=outside,
        missing=[label for label in patterns if label not in found and label not in outside],
        pii=find_pii("\n".join([full, *contact])),
    )
