"""Input the database cannot store: text with NUL characters.

PostgreSQL's text and jsonb refuse U+0000. Until the schemas refuse it (InputMinimal, the batch
import), the API takes NUL-bearing rows out of an import before anything is written, and maps
the database's refusal of any other such value to a 422 instead of a 500.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from services.batch_import import ImportResult, RejectedRow

__all__ = ["UNSTORABLE_INPUT_ERRORS", "without_nul"]

# Data errors are the database refusing a value (a NUL in text, a number out of range).
UNSTORABLE_INPUT_ERRORS: tuple[type[Exception], ...] = (asyncpg.exceptions.DataError,)

_REPLACEMENT = "\ufffd"


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", _REPLACEMENT)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def without_nul(parsed: ImportResult) -> ImportResult:
    """Reject accepted rows holding a NUL character; scrub NULs from rejected rows' raw text."""
    accepted = []
    rejected = [
        r.model_copy(update={"raw": _scrub(r.raw), "reason": _scrub(r.reason)})
        for r in parsed.rejected
    ]
    for row in parsed.accepted:
        if "\\u0000" in row.model_dump_json():
            raw = _scrub(row.input_minimal.model_dump(mode="json"))
            reason = "the row holds a NUL character (U+0000), which cannot be stored"
            rejected.append(RejectedRow(row_number=row.row_number, reason=reason, raw=raw))
        else:
            accepted.append(row)
    rejected.sort(key=lambda r: r.row_number)
    return parsed.model_copy(update={"accepted": accepted, "rejected": rejected})
