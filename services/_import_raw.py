"""Shared pieces of the batch file readers: raw rows, the file error, column names, lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from schemas.errors import BacowrError

__all__ = [
    "KNOWN_COLUMNS",
    "REQUIRED_COLUMNS",
    "BatchFileError",
    "BatchFormat",
    "RawRow",
    "RawTable",
    "decoded_lines",
    "normalize_column",
]

BatchFormat = Literal["csv", "json", "jsonl"]
RawKind = Literal["malformed_row", "undecodable_row"]

REQUIRED_COLUMNS = ("publisher_domain", "target_url", "anchor_text")
KNOWN_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        "idempotency_key",
        "language",
        "min_word_count",
        "max_anchor_usages",
        "vertical",
        "tone",
        "priority",
    }
)


class BatchFileError(BacowrError):
    """The file is not a table of jobs at all (empty, binary, no header, wrong JSON shape)."""

    kind = "batch_file"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read: normalized column -> stripped cell, or why it cannot be read."""

    row_number: int
    fields: dict[str, str]
    raw: dict[str, str] | str
    problem: str | None = None
    problem_kind: RawKind = "malformed_row"


@dataclass(slots=True)
class RawTable:
    format: BatchFormat
    columns: list[str]
    rows: list[RawRow]
    warnings: list[str] = field(default_factory=list)


def normalize_column(name: str) -> str:
    """Return the canonical column name: trimmed, lower case, spaces and dashes as '_'."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def decoded_lines(data: bytes) -> Iterator[tuple[int, str, str | None]]:
    """Yield (line number, text, decode problem) per physical line; a bad byte spoils one line."""
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            yield number, line.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            problem = f"undecodable bytes (not UTF-8) at byte {exc.start + 1} of the line"
            yield number, line.decode("utf-8", "replace"), problem
