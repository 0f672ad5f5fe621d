"""Batch import: turn an uploaded CSV, JSON or JSONL file into validated job rows.

Each row is accepted or rejected on its own, with its row number and a reason a person can act
on; only a file that is not a table of jobs at all raises `BatchFileError`. The caller enforces a
maximum file size before reading the bytes (this module holds the whole file in memory).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from schemas.enums import Language, ToneClass, Vertical
from schemas.job_package import GenerationConstraints, InputMinimal
from services._import_formats import read_table
from services._import_raw import (
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    BatchFileError,
    BatchFormat,
    RawRow,
)
from storage.ids import canonical_input
from storage.records import JobInput

__all__ = [
    "DEFAULT_MAX_ROWS",
    "AcceptedRow",
    "BatchFileError",
    "ImportResult",
    "RejectKind",
    "RejectedRow",
    "parse_batch",
]

DEFAULT_MAX_ROWS = 10_000
MAX_IDEMPOTENCY_KEY = 200

RejectKind = Literal[
    "invalid_row", "duplicate_row", "malformed_row", "undecodable_row", "row_limit"
]

_CONSTRAINT_FIELDS = ("language", "min_word_count", "max_anchor_usages", "vertical", "tone")
_ENUMS: dict[str, type[StrEnum]] = {"language": Language, "vertical": Vertical, "tone": ToneClass}
_M = TypeVar("_M", bound=BaseModel)
# The jobs.priority column is a Postgres integer.
_PRIORITY = TypeAdapter(Annotated[int, Field(ge=-(2**31), le=2**31 - 1)])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AcceptedRow(_Frozen):
    """A valid row: the job's inputs, ready for `JobRepository.create_or_get`."""

    row_number: int
    input_minimal: InputMinimal
    generation_constraints: GenerationConstraints
    idempotency_key: str | None = None
    priority: int = 0

    @property
    def job_input(self) -> JobInput:
        return JobInput(
            input_minimal=self.input_minimal, generation_constraints=self.generation_constraints
        )


class RejectedRow(_Frozen):
    """A row that will not become a job; `kind` and `reason` go to the error log as they are."""

    row_number: int
    kind: RejectKind = "invalid_row"
    reason: str
    raw: dict[str, str] | str


class ImportResult(_Frozen):
    accepted: list[AcceptedRow]
    rejected: list[RejectedRow]
    warnings: list[str]
    format: BatchFormat


def parse_batch(data: bytes, filename: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> ImportResult:
    """Read a batch file and validate every row; keep the file's order.

    The format comes from the extension (.csv, .json, .jsonl/.ndjson), else from the content.
    Row numbers are what a person sees when opening the file: for CSV and JSONL the line
    number (a CSV header is line 1, so its first data row is row 2; blank lines and an Excel
    `sep=;` line count but yield no row; a CSV cell cannot span lines); for a JSON array the
    1-based index of the element. A row is a duplicate when an earlier accepted row has the
    same idempotency key, or the same publisher, target, anchor and constraints. Data rows
    past `max_rows` are rejected unread.

    Raises:
        BatchFileError: the file is empty, binary, HTML, lacks a required column, is JSON of
            another shape, or holds no rows.
    """
    table = read_table(data, filename)
    if not table.rows:
        raise BatchFileError("the file holds no job rows", filename=filename)
    accepted: list[AcceptedRow] = []
    rejected: list[RejectedRow] = []
    seen = _Seen()
    for index, raw_row in enumerate(table.rows):
        if index >= max_rows:
            reason = f"over the limit of {max_rows} rows per file"
            rejected.append(_reject(raw_row, "row_limit", reason))
            continue
        row = _check_row(raw_row)
        if isinstance(row, RejectedRow):
            rejected.append(row)
        elif duplicate := seen.duplicate_of(row):
            rejected.append(_reject(raw_row, "duplicate_row", duplicate))
        else:
            accepted.append(row)
    return ImportResult(
        accepted=accepted,
        rejected=rejected,
        warnings=[*table.warnings, *_warnings(table.columns, rejected)],
        format=table.format,
    )


class _Seen:
    """The accepted rows so far, by idempotency key and by canonical input."""

    def __init__(self) -> None:
        self._by_key: dict[str, int] = {}
        self._by_input: dict[str, int] = {}

    def duplicate_of(self, row: AcceptedRow) -> str | None:
        """Return why `row` repeats an earlier row, or remember it and return None."""
        content = canonical_input(row.job_input)
        if row.idempotency_key and row.idempotency_key in self._by_key:
            return f"duplicate of row {self._by_key[row.idempotency_key]} (same idempotency_key)"
        if content in self._by_input:
            earlier = self._by_input[content]
            return f"duplicate of row {earlier} (same publisher, target, anchor and constraints)"
        if row.idempotency_key:
            self._by_key[row.idempotency_key] = row.row_number
        self._by_input[content] = row.row_number
        return None


def _reject(row: RawRow, kind: RejectKind, reason: str) -> RejectedRow:
    return RejectedRow(row_number=row.row_number, kind=kind, reason=reason, raw=row.raw)


def _check_row(row: RawRow) -> AcceptedRow | RejectedRow:
    if row.problem is not None:
        return _reject(row, row.problem_kind, row.problem)
    fields = row.fields
    reasons = [
        f"{name}: {'empty' if name in fields else 'missing'}"
        for name in REQUIRED_COLUMNS
        if not fields.get(name)
    ]
    minimal_values = {name: fields[name] for name in REQUIRED_COLUMNS if fields.get(name)}
    constraint_values: dict[str, str] = {
        name: fields[name].lower() if name in _ENUMS else fields[name]
        for name in _CONSTRAINT_FIELDS
        if fields.get(name)
    }
    minimal = _build(InputMinimal, minimal_values, reasons, skip_missing=True)
    constraints = _build(GenerationConstraints, constraint_values, reasons)
    priority = 0
    if fields.get("priority"):
        try:
            priority = _PRIORITY.validate_python(fields["priority"])
        except ValidationError as exc:
            reasons.extend(_reason("priority", error) for error in exc.errors())
    key = fields.get("idempotency_key") or None
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        limit = MAX_IDEMPOTENCY_KEY
        reasons.append(f"idempotency_key: too long ({len(key)} characters, at most {limit})")
    if reasons or minimal is None or constraints is None:
        return _reject(row, "invalid_row", "; ".join(reasons))
    return AcceptedRow(
        row_number=row.row_number,
        input_minimal=minimal,
        generation_constraints=constraints,
        idempotency_key=key,
        priority=priority,
    )


def _build(
    model: type[_M], values: Mapping[str, Any], reasons: list[str], *, skip_missing: bool = False
) -> _M | None:
    """Validate `values` into `model`, appending one reason per error instead of raising."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            if not (skip_missing and error["type"] == "missing"):
                reasons.append(_reason(".".join(str(p) for p in error["loc"]), error))
        return None


def _reason(name: str, error: ErrorDetails) -> str:
    """Return one human sentence for a pydantic error, naming the field."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "enum" and name in _ENUMS:
        allowed = ", ".join(member.value for member in _ENUMS[name])
        return f"{name}: unknown {name} {_show(value)} (allowed: {allowed})"
    if kind == "string_too_long":
        return f"{name}: too long ({len(str(value))} characters, at most {ctx['max_length']})"
    if kind == "string_too_short":
        return f"{name}: empty"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{name}: must be a whole number, got {_show(value)}"
    if kind == "greater_than_equal":
        return f"{name}: must be at least {ctx['ge']}, got {_show(value)}"
    if kind == "less_than_equal":
        return f"{name}: must be at most {ctx['le']}, got {_show(value)}"
    if kind == "value_error":
        return f"{name}: {ctx.get('error', error['msg'])}"
    return f"{name}: {error['msg']}"


def _show(value: object, limit: int = 60) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _warnings(columns: list[str], rejected: list[RejectedRow]) -> list[str]:
    warnings = []
    unknown = [name for name in columns if name not in KNOWN_COLUMNS]
    if unknown:
        warnings.append(f"ignored unknown columns: {', '.join(unknown)}")
    undecodable = sum(1 for row in rejected if row.kind == "undecodable_row")
    if undecodable:
        warnings.append(
            f"{undecodable} row(s) hold bytes that are not UTF-8; save the file as 'CSV UTF-8'"
        )
    return warnings
