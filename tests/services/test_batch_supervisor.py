"""The batch supervisor at scale: 200 jobs with 20 bad rows, mixed outcomes, an export that
matches the database, bounded concurrency, and cancel then resume."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from bench.synthetic import synthetic_jobs, write_snapshot
from services.batch_import import parse_batch
from services.batch_results import export_results
from services.batches import cancel_batch, progress, resume_batch, submit_batch
from services.worker import Worker

pytestmark = pytest.mark.slow

BAD_ROWS = [
    ("", "https://www.x.se/a", "missing publisher"),
    ("villa.se", "", "missing target"),
    ("villa.se", "https://www.x.se/b", ""),
    ("villa.se", "ftp://www.x.se/c", "ftp url"),
    ("villa.se", "https:///nohost", "no host"),
    ("villa.se", "javascript:alert(1)", "js url"),
    ("villa.se", "https://www.x.se/d", "x" * 300),
    ("https://villa.se/", "https://www.x.se/e", "url as domain"),
    ("villa.se", "https://www.x.se/f", "unknown language"),
    ("villa.se", "https://www.x.se/g", "bad word count"),
    ("villa.se", "not a url", "plain text url"),
    ("villa .se", "https://www.x.se/h", "space in domain"),
    ("villa.se", "https://www.x.se/i", "bad max anchors"),
    ("villa.se", "https://www.x.se/j", "bad vertical"),
    ("villa.se", "https://www.x.se/k", "bad tone"),
    ("villa.se", "https://www.x.se/l", "bad priority"),
    ("villa.se", "https://www.x.se/m", "   "),
    ("villa.se", "www.x.se/n", "no scheme"),
]


def batch_csv(n: int) -> tuple[bytes, list]:  # type: ignore[type-arg]
    anchors = {i: f"laddbox FAIL {i}" for i in range(0, n, 40)}
    anchors.update({i: f"laddbox REVIEW {i}" for i in range(5, n, 40)})
    jobs = synthetic_jobs(n, publishers=20, anchors=anchors)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "publisher_domain",
            "target_url",
            "anchor_text",
            "language",
            "min_word_count",
            "max_anchor_usages",
            "vertical",
            "tone",
            "priority",
        ]
    )
    for job in jobs:
        writer.writerow(
            [job.publisher_domain, job.target_url, job.anchor_text, "sv", 300, 2, "", "", 0]
        )
    extras = {
        "unknown language": ("fi", 300, 2, "", "", 0),
        "bad word count": ("sv", "many", 2, "", "", 0),
        "bad max anchors": ("sv", 300, -1, "", "", 0),
        "bad vertical": ("sv", 300, 2, "weapons", "", 0),
        "bad tone": ("sv", 300, 2, "", "shouty", 0),
        "bad priority": ("sv", 300, 2, "", "", "high"),
    }
    for publisher, target, anchor in BAD_ROWS:
        rest = extras.get(anchor, ("sv", 300, 2, "", "", 0))
        writer.writerow([publisher, target, anchor, *rest])
    writer.writerow(
        [jobs[1].publisher_domain, jobs[1].target_url, jobs[1].anchor_text, "sv", 300, 2, "", "", 0]
    )
    data = (
        out.getvalue().encode() + b"villa.se,https://www.x.se/z,\xff\xfe bad bytes,sv,300,2,,,0\n"
    )
    return data, jobs


async def test_two_hundred_jobs_with_twenty_bad_rows(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    data, jobs = batch_csv(200)
    missing = set(range(10, 200, 40))  # 404 targets: refused
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs, missing=missing))
    parsed = parse_batch(data, "jobs.csv")
    assert len(parsed.rejected) == 20, [r.reason for r in parsed.rejected]
    assert len(parsed.accepted) == 200
    submitted = await submit_batch(rt, parsed, name="jobs.csv", batch_id="b200", concurrency=20)
    await asyncio.wait_for(Worker(rt, concurrency=20, batch_id="b200").run(until_idle=True), 600)
    final = await progress(rt, "b200")
    assert final.counts["queued"] == final.counts["running"] == 0
    assert final.counts["failed"] == 5 and final.counts["refused"] == 5
    assert final.counts["needs_review"] == 5 and final.counts["passed"] == 185
    logged = await rt.errors.list_errors(batch_id="b200")
    assert sorted(e.row_number for e in logged) == sorted(r.row_number for r in parsed.rejected)
    assert all(e.reason for e in logged)
    paths = await export_results(rt, "b200", tmp_path / "out")
    report = list(csv.DictReader((paths.folder / "report.csv").open(encoding="utf-8-sig")))
    db = {j.id: j for j in await rt.jobs.list_jobs(batch_id="b200", limit=1000)}
    assert {r["job_id"] for r in report} == set(db)
    for row in report:
        job = db[row["job_id"]]
        assert row["outcome"] == (job.outcome.value if job.outcome else job.status.value)
        assert int(row["tokens_in"]) == job.tokens_in
        if job.qc_score is not None:
            assert float(row["qc_overall"]) == pytest.approx(job.qc_score, abs=0.05)
    errors = list(csv.DictReader((paths.folder / "errors.csv").open(encoding="utf-8-sig")))
    assert len([e for e in errors if e["row_number"]]) == 20
    assert {e["job_id"] for e in errors if e["job_id"]} == {
        j.id for j in db.values() if j.status.value in ("failed", "refused")
    }
    assert len(list((paths.folder / "articles").glob("*.md"))) == 190
    assert submitted.new_jobs == 200


async def test_concurrency_is_never_exceeded_inside_nodes(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fake_llm[0].latency_s = 0.05
    data, jobs = batch_csv(40)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    await submit_batch(rt, parse_batch(data, "jobs.csv"), name="c", batch_id="c", concurrency=5)
    await Worker(rt, concurrency=5, batch_id="c").run(until_idle=True)
    rows = await rt.pool.fetch(
        "SELECT job_id, event, at FROM job_events WHERE event IN ('entered', 'left', 'error') ORDER BY at, id"
    )
    inside: set[str] = set()
    peak = 0
    for row in rows:
        if row["event"] == "entered":
            inside.add(row["job_id"])
        else:
            inside.discard(row["job_id"])
        peak = max(peak, len(inside))
    assert 1 < peak <= 5


async def test_cancel_stops_at_node_boundaries_and_resume_continues(
    runtime_factory, fake_llm, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fake = fake_llm[0]
    fake.latency_s = 0.1
    jobs = synthetic_jobs(30, publishers=5)
    rt = await runtime_factory(write_snapshot(tmp_path / "r", jobs))
    data = "publisher_domain,target_url,anchor_text,min_word_count\n" + "\n".join(
        f"{j.publisher_domain},{j.target_url},{j.anchor_text},300" for j in jobs
    )
    await submit_batch(
        rt, parse_batch(data.encode(), "j.csv"), name="j", batch_id="cx", concurrency=4
    )
    worker = Worker(rt, concurrency=4, batch_id="cx", lease_s=1.5)
    running = asyncio.create_task(worker.run(until_idle=True))
    while (await progress(rt, "cx")).counts["passed"] < 3:  # noqa: ASYNC110 - polling the ledger
        await asyncio.sleep(0.1)
    await cancel_batch(rt, "cx")
    await asyncio.wait_for(running, 60)
    stopped = await progress(rt, "cx")
    assert stopped.counts["cancelled"] > 0 and stopped.counts["running"] == 0
    assert stopped.counts["passed"] < 30
    calls_at_cancel = sum(fake.by_role.values())
    await resume_batch(rt, "cx")
    await Worker(rt, concurrency=4, batch_id="cx").run(until_idle=True)
    done = await progress(rt, "cx")
    assert done.counts["passed"] == 30
    # Resumed jobs continue from their checkpoints: at most one node per stopped job is redone.
    assert sum(fake.by_role.values()) <= 4 * 30 + 4
    assert sum(fake.by_role.values()) > calls_at_cancel
