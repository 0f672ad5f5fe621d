"""Batch import: every bad row is reported with its number and reason, every good row accepted."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from schemas.enums import Language, ToneClass, Vertical
from services.batch_import import BatchFileError, parse_batch

HEADER = [
    "publisher_domain",
    "target_url",
    "anchor_text",
    "idempotency_key",
    "language",
    "min_word_count",
    "vertical",
    "tone",
    "priority",
]


def good_cells(n: int) -> list[str]:
    """Return a valid row; different `n` give different jobs."""
    key = f"key-{n}" if n % 10 == 0 else ""
    language = ("sv", "EN", "no", "da")[n % 4]  # enum values are matched case-insensitively
    return [
        f"site{n}.se",
        f"https://www.target.se/page-{n}",
        f"ankare {n}",
        key,
        language,
        "900",
        "",
        "",
        str(n % 3),
    ]


def cells(**overrides: str) -> list[str]:
    row = dict(zip(HEADER, good_cells(999), strict=True))
    return [overrides.get(name, value) for name, value in row.items()]


Line = list[str] | Callable[[str], bytes]


@dataclass(frozen=True)
class Bad:
    line: Line
    reason: str  # the reason must contain this
    kind: str = "invalid_row"


# Twenty bad rows of different kinds; the duplicates repeat the first good rows (rows 2 and 3).
BAD_ROWS = [
    Bad(["bad.se", "https://t.se/x"], "anchor_text: missing"),
    Bad(cells(target_url=""), "target_url: empty"),
    Bad(cells(target_url="ftp://t.se/file"), "target_url: must be an http or https URL"),
    Bad(cells(target_url="https:///no-host"), "target_url: must include a host name"),
    Bad(cells(anchor_text="a" * 201), "anchor_text: too long (201 characters, at most 200)"),
    Bad(
        good_cells(1),
        "duplicate of row 3 (same publisher, target, anchor and constraints)",
        "duplicate_row",
    ),
    Bad(
        cells(idempotency_key="key-0"), "duplicate of row 2 (same idempotency_key)", "duplicate_row"
    ),
    Bad(
        lambda d: f"bad.se{d}https://t.se/".encode() + b"\xff\xfe" + f"{d}ankare".encode(),
        "undecodable bytes",
        "undecodable_row",
    ),
    Bad(cells(language="fi"), "language: unknown language 'fi' (allowed: sv, en, no, da)"),
    Bad(cells(min_word_count="lots"), "min_word_count: must be a whole number, got 'lots'"),
    Bad(cells(priority="high"), "priority: must be a whole number, got 'high'"),
    Bad(cells(target_url="javascript:alert(1)"), "target_url: must be an http or https URL"),
    Bad(
        cells(publisher_domain="a" * 250 + ".com"),
        "publisher_domain: too long (254 characters, at most 253)",
    ),
    Bad(
        cells(target_url="https://t.se/" + "p" * 2040),
        "target_url: too long (2053 characters, at most 2048)",
    ),
    Bad(
        cells(publisher_domain="not a domain"),
        "publisher_domain: must be a bare domain such as example.se",
    ),
    Bad(cells(min_word_count="50"), "min_word_count: must be at least 100, got '50'"),
    Bad(
        cells(vertical="sports"), "vertical: unknown vertical 'sports' (allowed: gambling, finance"
    ),
    Bad(cells(tone="snarky"), "tone: unknown tone 'snarky' (allowed: academic"),
    Bad(
        [*cells(), "extra", "cells"],
        "the row has 11 cells but the header has 9 columns",
        "malformed_row",
    ),
    Bad(
        lambda d: f'bad.se{d}https://t.se/x{d}"open quote'.encode(),
        "malformed CSV quoting",
        "malformed_row",
    ),
]
ROWS = 200
BAD_AT = {7 + 9 * i: bad for i, bad in enumerate(BAD_ROWS)}  # data row index -> bad row


def build_csv(delimiter: str = ",", *, bom: bool = False, newline: str = "\n") -> bytes:
    """Return a CSV of ROWS data rows, the BAD_ROWS spread among good ones."""

    def encode(row: list[str]) -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="").writerow(row)
        return out.getvalue().encode()

    lines = [encode(HEADER)]
    good = 0
    for index in range(ROWS):
        bad = BAD_AT.get(index)
        if bad is None:
            lines.append(encode(good_cells(good)))
            good += 1
        else:
            lines.append(bad.line(delimiter) if callable(bad.line) else encode(bad.line))
    data = newline.encode().join(lines) + newline.encode()
    return codecs.BOM_UTF8 + data if bom else data


@pytest.mark.parametrize(
    ("delimiter", "bom", "newline"),
    [(",", False, "\n"), (";", False, "\n"), (",", True, "\r\n"), (";", True, "\r\n")],
    ids=["comma", "semicolon", "comma-bom-crlf", "semicolon-bom-crlf"],
)
def test_csv_with_bad_rows_rejects_each_with_row_number_and_reason(
    delimiter: str, bom: bool, newline: str
) -> None:
    result = parse_batch(build_csv(delimiter, bom=bom, newline=newline), "jobs.csv")

    assert result.format == "csv"
    assert len(result.accepted) == ROWS - len(BAD_ROWS) == 180
    rejected = {row.row_number: row for row in result.rejected}
    assert list(rejected) == [index + 2 for index in sorted(BAD_AT)]  # header is row 1
    for index, bad in BAD_AT.items():
        row = rejected[index + 2]
        assert bad.reason in row.reason, (index + 2, row.reason)
        assert row.kind == bad.kind
    good_numbers = [index + 2 for index in range(ROWS) if index not in BAD_AT]
    assert [row.row_number for row in result.accepted] == good_numbers
    for n, row in enumerate(result.accepted):
        assert row.input_minimal.publisher_domain == f"site{n}.se"
        assert row.input_minimal.target_url == f"https://www.target.se/page-{n}"
        assert row.generation_constraints.language is list(Language)[n % 4]
        assert row.priority == n % 3
        assert row.idempotency_key == (f"key-{n}" if n % 10 == 0 else None)
    assert result.warnings == [
        "1 row(s) hold bytes that are not UTF-8; save the file as 'CSV UTF-8'"
    ]


def test_rejected_csv_row_keeps_its_cells_by_header_name() -> None:
    data = b"publisher_domain,target_url,anchor_text\nvilla.se,ftp://x.se,ankare\n"
    (row,) = parse_batch(data, "jobs.csv").rejected
    assert row.reason == "target_url: must be an http or https URL"
    assert row.raw == {
        "publisher_domain": "villa.se",
        "target_url": "ftp://x.se",
        "anchor_text": "ankare",
    }


def test_headers_match_loosely_and_unknown_columns_warn_once() -> None:
    data = (
        " Publisher_Domain ;TARGET URL;anchor_text;Notes;Vertical;Tone\n"
        "www.Villa.se;https://t.se/a;ankare;hej;Finance;hobby_blog\n"
        "villa.se;https://t.se/b;ankare;då;;\n"
    ).encode()
    result = parse_batch(data, "JOBS.CSV")
    assert [row.row_number for row in result.accepted] == [2, 3]
    first = result.accepted[0]
    assert first.input_minimal.publisher_domain == "villa.se"
    assert first.generation_constraints.vertical is Vertical.finance
    assert first.generation_constraints.tone is ToneClass.hobby_blog
    assert result.warnings == ["ignored unknown columns: notes"]


def test_blank_lines_count_as_rows_but_yield_none() -> None:
    data = b"publisher_domain,target_url,anchor_text\n\nvilla.se,https://t.se/a,x\n,,\nvilla.se,ftp://t.se,x\n"
    result = parse_batch(data, "jobs.csv")
    assert [row.row_number for row in result.accepted] == [3]
    assert [row.row_number for row in result.rejected] == [5]


def test_excel_sep_line_sets_the_delimiter() -> None:
    data = b"sep=;\npublisher_domain;target_url;anchor_text\nvilla.se;https://t.se/a;a, b\n"
    (row,) = parse_batch(data, "jobs.csv").accepted
    assert (row.row_number, row.input_minimal.anchor_text) == (3, "a, b")


def test_rows_past_the_cap_are_rejected() -> None:
    lines = ["publisher_domain,target_url,anchor_text"] + [
        f"v.se,https://t.se/{n},x" for n in range(5)
    ]
    result = parse_batch("\n".join(lines).encode(), "jobs.csv", max_rows=3)
    assert [row.row_number for row in result.accepted] == [2, 3, 4]
    assert [(row.row_number, row.kind) for row in result.rejected] == [
        (5, "row_limit"),
        (6, "row_limit"),
    ]
    assert result.rejected[0].reason == "over the limit of 3 rows per file"


def job(n: int, **extra: object) -> dict[str, object]:
    return {
        "publisher_domain": f"site{n}.se",
        "target_url": f"https://t.se/{n}",
        "anchor_text": f"ankare {n}",
        **extra,
    }


@pytest.mark.parametrize("wrap", [False, True], ids=["list", "jobs-object"])
def test_json_rows_are_numbered_by_position(wrap: bool) -> None:
    elements: list[object] = [
        job(1, min_word_count=1200, priority=5, language=None),
        "not an object",
        job(2, target_url="ftp://t.se"),
        job(3, max_anchor_usages=[1]),
        job(1, min_word_count="1200", priority=9),  # the same job as row 1, whatever its priority
        job(4, comment="ignored"),
    ]
    document = {"jobs": elements} if wrap else elements
    result = parse_batch(json.dumps(document).encode(), "batch.json")

    assert result.format == "json"
    assert [row.row_number for row in result.accepted] == [1, 6]
    first = result.accepted[0]
    assert (first.generation_constraints.min_word_count, first.priority) == (1200, 5)
    assert [(row.row_number, row.reason) for row in result.rejected] == [
        (2, "expected a JSON object, got a string"),
        (3, "target_url: must be an http or https URL"),
        (4, "max_anchor_usages: must be text or a number, got a list"),
        (5, "duplicate of row 1 (same publisher, target, anchor and constraints)"),
    ]
    assert result.rejected[0].raw == '"not an object"'
    assert result.warnings == ["ignored unknown columns: comment"]


def test_jsonl_rows_are_numbered_by_line() -> None:
    lines = [
        json.dumps(job(1)),
        "",
        "{not json",
        "[1, 2]",
        json.dumps(job(2, language="de")),
        json.dumps(job(3)),
    ]
    data = "\n".join(lines).encode() + b"\n" + b'{"publisher_domain": "\xff"}\n'
    result = parse_batch(data, "batch.ndjson")

    assert result.format == "jsonl"
    assert [row.row_number for row in result.accepted] == [1, 6]
    reasons = {row.row_number: row.reason for row in result.rejected}
    assert reasons[3].startswith("not valid JSON: ")
    assert reasons[4] == "expected a JSON object, got a list"
    assert reasons[5] == "language: unknown language 'de' (allowed: sv, en, no, da)"
    assert reasons[7].startswith("undecodable bytes")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (json.dumps([job(1)]).encode(), "json"),
        (json.dumps({"jobs": [job(1)]}).encode(), "json"),
        (json.dumps(job(1)).encode() + b"\n" + json.dumps(job(2)).encode(), "jsonl"),
        (b"publisher_domain,target_url,anchor_text\nv.se,https://t.se,x\n", "csv"),
    ],
)
def test_unknown_extension_sniffs_the_content(data: bytes, expected: str) -> None:
    assert parse_batch(data, "upload.txt").format == expected


def test_json_lines_in_a_json_file_are_read_with_a_warning() -> None:
    data = json.dumps(job(1)).encode() + b"\n" + json.dumps(job(2)).encode()
    result = parse_batch(data, "batch.json")
    assert (result.format, len(result.accepted)) == ("jsonl", 2)
    assert result.warnings == ["the .json file holds one object per line; read it as JSONL"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "jobs.csv", "the file is empty"),
        (b" \r\n\n", "jobs.csv", "the file is empty"),
        (bytes(range(256)) * 4, "jobs.csv", "the file is binary, not a CSV, JSON or JSONL table"),
        (bytes(range(128, 256)) * 8, "jobs.csv", "the header line is not UTF-8 text"),
        (
            b"publisher_domain,anchor\nv.se,x\n",
            "jobs.csv",
            "missing required columns: target_url, anchor_text",
        ),
        (
            b"name;url\nv.se;x\n",
            "jobs.csv",
            "missing required columns: publisher_domain, target_url, anchor_text",
        ),
        (
            b"publisher_domain,target_url,anchor_text,Target_URL\n",
            "jobs.csv",
            "repeated columns: target_url",
        ),
        (b"publisher_domain,target_url,anchor_text\n", "jobs.csv", "the file holds no job rows"),
        (
            b"<!DOCTYPE html><html><body>Log in</body></html>",
            "jobs.csv",
            "the file is an HTML or XML page",
        ),
        (b"\xff\xfep\x00u\x00", "jobs.csv", "the file is UTF-16 text; save it as UTF-8"),
        (b"42", "jobs.json", 'JSON must be a list or {"jobs": [...]}, not int'),
        (b'{"name": "x"}', "jobs.json", 'a JSON object must hold a "jobs" list'),
        (
            json.dumps(job(1)).encode(),
            "jobs.json",
            'a JSON object must hold a "jobs" list (one job? put it in a list)',
        ),
        (b'{"jobs": 3}', "jobs.json", '"jobs" must be a list of objects'),
        (b'[{"a": 1},', "jobs.json", "not valid JSON: Expecting value at line 1 column 11"),
        (b"[]", "jobs.json", "the file holds no job rows"),
        (b"hello\nworld\n", "jobs.jsonl", "no line of the file is valid JSON"),
    ],
)
def test_a_file_that_is_not_a_table_raises_one_clear_error(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(BatchFileError) as raised:
        parse_batch(data, filename)
    assert raised.value.message.startswith(message)
    assert raised.value.kind == "batch_file"
    assert raised.value.fields == {"filename": filename}
