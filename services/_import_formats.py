"""Read a batch file (CSV, JSON, JSON Lines) into raw rows, one per line or array element.

Nothing here validates a job; it only finds the table, its columns and each row's cells, and
marks rows that cannot be read at all (undecodable bytes, broken quoting, invalid JSON).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import PurePath

from services._import_raw import (
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    BatchFileError,
    BatchFormat,
    RawRow,
    RawTable,
    decoded_lines,
    normalize_column,
)

__all__ = ["read_table"]

_EXTENSIONS: dict[str, BatchFormat] = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS = (",", ";", "\t")
_UTF8_BOM = b"\xef\xbb\xbf"
_SEP_LINE = re.compile(r"^sep=(.)$")  # Excel's delimiter hint on the first line
_HTML_START = re.compile(r"^\s*<(!doctype|html|head|body|\?xml)", re.IGNORECASE)


def read_table(data: bytes, filename: str) -> RawTable:
    """Read `data` by the extension of `filename`, sniffing the content when it is unknown.

    Raises:
        BatchFileError: the file is not a table of jobs.
    """
    data = data.removeprefix(_UTF8_BOM)
    if not data.strip():
        raise BatchFileError("the file is empty", filename=filename)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BatchFileError("the file is UTF-16 text; save it as UTF-8", filename=filename)
    if b"\x00" in data[:8192]:
        raise BatchFileError(
            "the file is binary, not a CSV, JSON or JSONL table", filename=filename
        )
    head = data[:1024].decode("utf-8", "replace")
    if _HTML_START.match(head):
        raise BatchFileError("the file is an HTML or XML page, not a table", filename=filename)
    fmt = _EXTENSIONS.get(PurePath(filename).suffix.lower()) or _sniff(data)
    if fmt == "json":
        return _read_json(data, filename)
    if fmt == "jsonl":
        return _read_jsonl(data, filename)
    return _read_csv(data, filename)


def _sniff(data: bytes) -> BatchFormat:
    text = data.lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        try:
            json.loads(data)
        except ValueError:
            return "jsonl"
        return "json"
    return "csv"


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(data: bytes, filename: str) -> RawTable:
    lines = [entry for entry in decoded_lines(data) if entry[1].strip() or entry[2]]
    delimiter: str | None = None
    if lines and (match := _SEP_LINE.match(lines[0][1].strip())):
        delimiter = match.group(1)
        lines = lines[1:]
    if not lines:
        raise BatchFileError("the file has no header line", filename=filename)
    _, header_text, header_problem = lines[0]
    if header_problem:
        raise BatchFileError(
            f"the header line is not UTF-8 text ({header_problem})", filename=filename
        )
    delimiter = delimiter or _pick_delimiter(header_text, data)
    try:
        header = [cell.strip() for cell in _split(header_text, delimiter)]
    except csv.Error as exc:
        raise BatchFileError(f"the header line is not valid CSV: {exc}", filename=filename) from exc
    columns = [normalize_column(name) for name in header]
    _check_columns(columns, filename)

    rows: list[RawRow] = []
    for number, text, problem in lines[1:]:
        if problem:
            rows.append(RawRow(number, {}, text, problem, "undecodable_row"))
            continue
        try:
            cells = _split(text, delimiter)
        except csv.Error as exc:
            rows.append(RawRow(number, {}, text, f"malformed CSV quoting: {exc}"))
            continue
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often export trailing rows of empty cells
        if any(cell.strip() for cell in cells[len(columns) :]):
            problem = (
                f"the row has {len(cells)} cells but the header has {len(columns)} columns"
                f" (a {delimiter!r} inside an unquoted value?)"
            )
            rows.append(RawRow(number, {}, text, problem))
            continue
        pairs = [(i, cell) for i, cell in enumerate(cells[: len(columns)]) if columns[i]]
        raw = {header[i]: cell for i, cell in pairs}
        rows.append(RawRow(number, {columns[i]: cell.strip() for i, cell in pairs}, raw))
    return RawTable("csv", [c for c in columns if c], rows)


def _split(line: str, delimiter: str) -> list[str]:
    """Split one line into cells; a quote left open spoils only this line."""
    return next(csv.reader([line], delimiter=delimiter, strict=True, skipinitialspace=True))


def _pick_delimiter(header: str, data: bytes) -> str:
    """Pick the delimiter that splits the header into the most known columns."""

    def known(delimiter: str) -> int:
        return len(KNOWN_COLUMNS.intersection(normalize_column(c) for c in header.split(delimiter)))

    best = max(_DELIMITERS, key=lambda d: (known(d), header.count(d)))
    if known(best):
        return best
    try:  # no known column: let the sniffer guess, for a useful "missing columns" message
        sample = data[:8192].decode("utf-8", "replace")
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _check_columns(columns: list[str], filename: str) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise BatchFileError(f"missing required columns: {', '.join(missing)}", filename=filename)
    named = [c for c in columns if c]
    repeated = sorted({c for c in named if named.count(c) > 1})
    if repeated:
        raise BatchFileError(f"repeated columns: {', '.join(repeated)}", filename=filename)


# --- JSON and JSON Lines -------------------------------------------------------------------------


def _read_json(data: bytes, filename: str) -> RawTable:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchFileError(
            f"the file is not UTF-8 text (byte {exc.start + 1})", filename=filename
        ) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            table = _read_jsonl(data, filename)
            table.warnings.append("the .json file holds one object per line; read it as JSONL")
            return table
        message = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise BatchFileError(message, filename=filename) from exc
    if isinstance(document, dict):
        if "jobs" not in document:
            hint = " (one job? put it in a list)" if "target_url" in document else ""
            raise BatchFileError(f'a JSON object must hold a "jobs" list{hint}', filename=filename)
        document = document["jobs"]
        if not isinstance(document, list):
            raise BatchFileError('"jobs" must be a list of objects', filename=filename)
    if not isinstance(document, list):
        kind = type(document).__name__
        raise BatchFileError(
            f'JSON must be a list or {{"jobs": [...]}}, not {kind}', filename=filename
        )
    rows = [
        _object_row(index, element, json.dumps(element, ensure_ascii=False))
        for index, element in enumerate(document, start=1)
    ]
    return RawTable("json", _columns_of(rows), rows)


def _read_jsonl(data: bytes, filename: str) -> RawTable:
    rows: list[RawRow] = []
    parsed = 0
    for number, text, problem in decoded_lines(data):
        if problem:
            rows.append(RawRow(number, {}, text, problem, "undecodable_row"))
            continue
        if not text.strip():
            continue
        try:
            element = json.loads(text)
        except json.JSONDecodeError as exc:
            rows.append(
                RawRow(number, {}, text, f"not valid JSON: {exc.msg} at column {exc.colno}")
            )
            continue
        parsed += 1
        rows.append(_object_row(number, element, text))
    if not parsed:
        raise BatchFileError("no line of the file is valid JSON", filename=filename)
    return RawTable("jsonl", _columns_of(rows), rows)


def _object_row(number: int, element: object, raw: str) -> RawRow:
    if not isinstance(element, dict):
        return RawRow(number, {}, raw, f"expected a JSON object, got {_json_type(element)}")
    fields: dict[str, str] = {}
    for key, value in element.items():
        name = normalize_column(str(key))
        if value is None:
            fields[name] = ""
        elif isinstance(value, str):
            fields[name] = value.strip()
        elif isinstance(value, int | float) and not isinstance(value, bool):
            fields[name] = str(value)
        else:
            problem = f"{name}: must be text or a number, got {_json_type(value)}"
            return RawRow(number, {}, raw, problem)
    return RawRow(number, fields, raw)


def _columns_of(rows: list[RawRow]) -> list[str]:
    return list(dict.fromkeys(name for row in rows for name in row.fields))


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
