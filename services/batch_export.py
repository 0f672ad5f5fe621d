"""Batch export: a folder of articles, job packages and CSV reports, and a zip of it.

Layout of `out_dir/<batch_id>/` (zipped as `out_dir/<batch_id>.zip`, entries under `<batch_id>/`):

    articles/<job_id>.md   YAML front matter, then the final article (jobs that have one)
    jobs/<job_id>.json     the job package and the job's outcome (jobs whose package is known)
    report.csv             one row per job: outcome, QC scores per criterion, usage, duration
    errors.csv             rejected input rows and logged errors, then failed and refused jobs

The CSV files are UTF-8 with a BOM so spreadsheet programs read å, ä and ö right. The export is
built in a staging folder and swapped in at the end, so a re-export replaces the old one whole.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from schemas.errors import BacowrError
from services._export_rows import (
    ERROR_COLUMNS,
    REPORT_COLUMNS,
    ExportJob,
    error_rows,
    qc_overall,
    report_rows,
)
from storage.records import ErrorLogEntry

__all__ = [
    "ERROR_COLUMNS",
    "REPORT_COLUMNS",
    "BatchExportError",
    "ExportJob",
    "ExportPaths",
    "article_markdown",
    "error_rows",
    "export_batch",
    "report_rows",
]

# Ids become file names: no separators, no leading dot, so nothing escapes the export folder.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")


class BatchExportError(BacowrError):
    """The export cannot be written as asked (an id that is not a safe file name)."""

    kind = "batch_export"


@dataclass(frozen=True, slots=True)
class ExportPaths:
    folder: Path
    zip_path: Path


def export_batch(
    out_dir: Path, batch_id: str, jobs: Sequence[ExportJob], rejected: Sequence[ErrorLogEntry]
) -> ExportPaths:
    """Write the batch's export folder and zip under `out_dir`, replacing an earlier export.

    Raises:
        BatchExportError: the batch id or a job id is not a safe file name.
    """
    _check_name(batch_id, "batch id")
    for item in jobs:
        _check_name(item.job.id, "job id")
    out_dir.mkdir(parents=True, exist_ok=True)
    folder, zip_path = out_dir / batch_id, out_dir / f"{batch_id}.zip"
    staging = out_dir / f".{batch_id}.{uuid.uuid4().hex[:12]}"
    staging_zip = staging.with_name(staging.name + ".zip")
    staging.mkdir()
    try:
        _write_folder(staging, jobs, rejected)
        _write_zip(staging, staging_zip, root=batch_id)
        _swap_in(staging, folder)
        os.replace(staging_zip, zip_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        staging_zip.unlink(missing_ok=True)
    return ExportPaths(folder=folder, zip_path=zip_path)


def article_markdown(item: ExportJob) -> str | None:
    """Return the article file's text (YAML front matter + markdown), or None without article."""
    if item.article is None:
        return None
    job = item.job
    minimal = job.input.input_minimal
    front = {
        "job_id": job.id,
        "publisher": minimal.publisher_domain,
        "target": minimal.target_url,
        "anchor": minimal.anchor_text,
        "qc_score": qc_overall(item),
        "outcome": item.article.outcome.value,
    }
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{item.article.markdown.strip()}\n"


def _job_document(item: ExportJob) -> dict[str, object]:
    job = item.job
    return {
        "job_id": job.id,
        "status": job.status.value,
        "outcome": job.outcome.value if job.outcome else None,
        "outcome_reasons": job.outcome_reasons,
        "qc_score": qc_overall(item),
        "error": job.error.model_dump(mode="json") if job.error else None,
        "package": item.package,
    }


def _write_folder(
    folder: Path, jobs: Sequence[ExportJob], rejected: Sequence[ErrorLogEntry]
) -> None:
    articles, packages = folder / "articles", folder / "jobs"
    articles.mkdir()
    packages.mkdir()
    for item in jobs:
        text = article_markdown(item)
        if text is not None:
            (articles / f"{item.job.id}.md").write_text(text, encoding="utf-8")
        if item.package is not None:
            document = json.dumps(_job_document(item), indent=2, ensure_ascii=False)
            (packages / f"{item.job.id}.json").write_text(document + "\n", encoding="utf-8")
    _write_csv(folder / "report.csv", REPORT_COLUMNS, report_rows(jobs))
    _write_csv(folder / "errors.csv", ERROR_COLUMNS, error_rows(jobs, rejected))


def _write_csv(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def _write_zip(folder: Path, zip_path: Path, *, root: str) -> None:
    """Zip every file of `folder` under `root/`, in sorted order so the listing is stable."""
    files = sorted(
        (path.relative_to(folder).as_posix(), path) for path in folder.rglob("*") if path.is_file()
    )
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in files:
            archive.write(path, f"{root}/{name}")


def _swap_in(staging: Path, folder: Path) -> None:
    """Move the finished staging folder to `folder`, removing an earlier export there."""
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old.{uuid.uuid4().hex[:12]}")
        folder.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    staging.rename(folder)


def _check_name(value: str, what: str) -> None:
    if not _SAFE_NAME.fullmatch(value) or ".." in value:
        raise BatchExportError(f"{what} is not a safe file name: {value!r}")
