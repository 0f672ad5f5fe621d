"""Batch export: article files with front matter, job JSON, report.csv, errors.csv and the zip."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from schemas.article import LinksExtension
from schemas.enums import BridgeType, Criterion, Outcome
from schemas.job_package import InputMinimal
from schemas.qc import QCReport
from schemas.state import JobFailure
from services.batch_export import (
    ERROR_COLUMNS,
    REPORT_COLUMNS,
    BatchExportError,
    ExportJob,
    error_rows,
    export_batch,
    report_rows,
)
from storage.ids import job_id_for
from storage.records import ErrorLogEntry, FinalArticle, Job, JobInput, JobStatus
from tests.fakes.factories import report

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
BATCH = "batch_0123456789abcdef0123"


def make_job(
    n: int, status: JobStatus, anchor: str = "laddbox till villan", **fields: object
) -> Job:
    job_input = JobInput(
        input_minimal=InputMinimal(
            publisher_domain=f"site{n}.se",
            target_url=f"https://www.laddhemma.se/{n}",
            anchor_text=anchor,
        )
    )
    terminal = status not in (JobStatus.queued, JobStatus.running)
    values: dict[str, object] = {
        "id": job_id_for(job_input),
        "idempotency_key": None,
        "batch_id": BATCH,
        "input": job_input,
        "status": status,
        "current_node": None,
        "iteration": n,
        "qc_score": None,
        "outcome": Outcome(status.value) if status.value in set(Outcome) else None,
        "outcome_reasons": [],
        "error": None,
        "prompt_hashes": {},
        "tokens_in": 1000 * n,
        "tokens_out": 300 * n,
        "cost_usd": 0.0125 * n,
        "attempts": 1,
        "priority": 0,
        "lease_owner": None,
        "lease_expires_at": None,
        "created_at": T0,
        "started_at": T0 + timedelta(seconds=5),
        "updated_at": T0,
        "finished_at": T0 + timedelta(seconds=5 + 60 * n + 0.5) if terminal else None,
        **fields,
    }
    return Job.model_validate(values)


def final(
    job: Job, qc: QCReport, markdown: str = "# Laddbox\n\nBrödtext om laddboxar.\n"
) -> FinalArticle:
    assert job.outcome is not None
    return FinalArticle(
        job_id=job.id,
        version=job.iteration,
        markdown=markdown,
        links_extension=LinksExtension(bridge_type=BridgeType.pivot),
        qc_report=qc,
        outcome=job.outcome,
        created_at=T0,
    )


def batch_jobs() -> list[ExportJob]:
    passed = make_job(1, JobStatus.passed, qc_score=80.0)
    review = make_job(
        2, JobStatus.needs_review, anchor='laddbox: "bäst" # 1', outcome_reasons=["ANCHOR below 80"]
    )
    failed = make_job(
        3,
        JobStatus.failed,
        error=JobFailure(kind="llm_unavailable", message="every model failed", node="write"),
    )
    refused = make_job(
        4, JobStatus.refused, anchor='=HYPERLINK("x")', outcome_reasons=["gambling", "no bridge"]
    )
    running = make_job(5, JobStatus.running)
    low = {Criterion.ANCHOR: 62.5, Criterion.TRUST: 71.0}
    return [
        ExportJob(
            job=passed,
            article=final(passed, report(91.0)),
            package={"job_meta": {"job_id": passed.id}},
        ),
        ExportJob(
            job=review, article=final(review, report(85.0, scores=low)), package={"job_meta": {}}
        ),
        ExportJob(job=failed, package={"job_meta": {"job_id": failed.id}}),
        ExportJob(job=refused),
        ExportJob(job=running),
    ]


def rejected_rows() -> list[ErrorLogEntry]:
    return [
        ErrorLogEntry(
            id=1,
            batch_id=BATCH,
            job_id=None,
            row_number=7,
            kind="invalid_row",
            reason="target_url: must be an http or https URL",
            raw={"publisher_domain": "villa.se", "target_url": "ftp://x.se"},
            created_at=T0,
        ),
        ErrorLogEntry(
            id=2,
            batch_id=BATCH,
            job_id=None,
            row_number=9,
            kind="undecodable_row",
            reason="undecodable bytes (not UTF-8) at byte 4 of the line",
            raw="bad\ufffd",
            created_at=T0,
        ),
    ]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path, list[ExportJob]]:
    jobs = batch_jobs()
    paths = export_batch(tmp_path / "exports", BATCH, jobs, rejected_rows())
    return paths.folder, paths.zip_path, jobs


def test_export_writes_articles_packages_and_reports(
    exported: tuple[Path, Path, list[ExportJob]],
) -> None:
    folder, zip_path, jobs = exported
    ids = [item.job.id for item in jobs]
    assert folder == zip_path.parent / BATCH and zip_path.name == f"{BATCH}.zip"
    assert sorted(files_under(folder)) == sorted(
        [
            f"articles/{ids[0]}.md",
            f"articles/{ids[1]}.md",
            f"jobs/{ids[0]}.json",
            f"jobs/{ids[1]}.json",
            f"jobs/{ids[2]}.json",
            "report.csv",
            "errors.csv",
        ]
    )
    document = json.loads((folder / "jobs" / f"{ids[2]}.json").read_text())
    assert document["package"] == {"job_meta": {"job_id": ids[2]}}
    assert (document["status"], document["outcome"]) == ("failed", "failed")
    assert document["error"] == {
        "kind": "llm_unavailable",
        "message": "every model failed",
        "node": "write",
    }


def test_front_matter_parses_back_with_yaml(exported: tuple[Path, Path, list[ExportJob]]) -> None:
    folder, _, jobs = exported
    item = jobs[1]
    text = (folder / "articles" / f"{item.job.id}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    assert yaml.safe_load(front) == {
        "job_id": item.job.id,
        "publisher": "site2.se",
        "target": "https://www.laddhemma.se/2",
        "anchor": 'laddbox: "bäst" # 1',
        "qc_score": report(85.0, scores={Criterion.ANCHOR: 62.5, Criterion.TRUST: 71.0}).overall,
        "outcome": "needs_review",
    }
    assert body == "\n# Laddbox\n\nBrödtext om laddboxar.\n"


def test_report_has_one_row_per_job_with_the_qc_report_scores(
    exported: tuple[Path, Path, list[ExportJob]],
) -> None:
    folder, _, jobs = exported
    rows = read_csv(folder / "report.csv")
    assert rows == [list(REPORT_COLUMNS), *report_rows(jobs)]
    by_id = {row[0]: dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert list(by_id) == [item.job.id for item in jobs]
    for item in jobs:
        row, job = by_id[item.job.id], item.job
        qc = item.article.qc_report if item.article else None
        for criterion in Criterion:
            expected = qc.score_of(criterion) if qc else None
            assert (float(row[criterion.value]) if row[criterion.value] else None) == expected
        assert row["outcome"] == (job.outcome.value if job.outcome else job.status.value)
        assert (int(row["iterations"]), int(row["tokens_in"]), int(row["tokens_out"])) == (
            job.iteration,
            job.tokens_in,
            job.tokens_out,
        )
        assert float(row["cost_usd"]) == pytest.approx(job.cost_usd)
    first, review, failed, refused, running = (by_id[item.job.id] for item in jobs)
    assert (review["ANCHOR"], review["TRUST"], review["LSI"]) == ("62.5", "71", "85")
    assert first["qc_overall"] == "91" and failed["qc_overall"] == ""
    assert first["duration_s"] == "60.5" and running["duration_s"] == ""
    assert (running["outcome"], running["error"]) == ("running", "")
    assert failed["error"] == "every model failed"
    assert refused["error"] == "gambling; no bridge"
    assert refused["anchor_text"] == '\'=HYPERLINK("x")'  # a spreadsheet must not run it


def test_errors_list_rejected_rows_then_failed_and_refused_jobs(
    exported: tuple[Path, Path, list[ExportJob]],
) -> None:
    folder, _, jobs = exported
    rows = read_csv(folder / "errors.csv")
    assert rows == [list(ERROR_COLUMNS), *error_rows(jobs, rejected_rows())]
    assert rows[1:] == [
        [
            "7",
            "",
            "invalid_row",
            "target_url: must be an http or https URL",
            '{"publisher_domain": "villa.se", "target_url": "ftp://x.se"}',
        ],
        [
            "9",
            "",
            "undecodable_row",
            "undecodable bytes (not UTF-8) at byte 4 of the line",
            "bad\ufffd",
        ],
        ["", jobs[2].job.id, "llm_unavailable", "every model failed", ""],
        ["", jobs[3].job.id, "refused", "gambling; no bridge", ""],
    ]


def test_zip_holds_the_same_files_as_the_folder(
    exported: tuple[Path, Path, list[ExportJob]],
) -> None:
    folder, zip_path, _ = exported
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        zipped = {name.removeprefix(f"{BATCH}/"): archive.read(name) for name in names}
    assert all(name.startswith(f"{BATCH}/") for name in names)
    assert zipped == files_under(folder)


def test_a_second_export_replaces_the_first_whole(tmp_path: Path) -> None:
    jobs = batch_jobs()
    export_batch(tmp_path, BATCH, jobs, rejected_rows())
    paths = export_batch(tmp_path, BATCH, jobs[2:], [])

    assert not list((paths.folder / "articles").iterdir())
    assert read_csv(paths.folder / "errors.csv")[1:] == error_rows(jobs[2:], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [BATCH, f"{BATCH}.zip"]  # no staging left


@pytest.mark.parametrize("bad_id", ["../escape", "job/../../x", ".hidden", "", "a" * 200])
def test_ids_that_are_not_safe_file_names_are_refused(tmp_path: Path, bad_id: str) -> None:
    item = batch_jobs()[0]
    evil = ExportJob(job=item.job.model_copy(update={"id": bad_id}), article=item.article)
    with pytest.raises(BatchExportError, match="job id is not a safe file name"):
        export_batch(tmp_path, BATCH, [evil], [])
    with pytest.raises(BatchExportError, match="batch id is not a safe file name"):
        export_batch(tmp_path, bad_id, [], [])
    assert not list(tmp_path.iterdir())
