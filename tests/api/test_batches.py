"""Batches over the real app: upload and JSON rows, rejected rows, progress, SSE, export."""

from __future__ import annotations

import io
import json
import zipfile

import httpx

from tests.api.conftest import JOBS, MakeClient


def csv_of(rows: list[list[str]]) -> bytes:
    header = "publisher_domain,target_url,anchor_text,min_word_count\n"
    return (header + "".join(",".join(r) + "\n" for r in rows)).encode("utf-8")


def good_row(i: int) -> list[str]:
    job = JOBS[i]
    return [job.publisher_domain, job.target_url, job.anchor_text, "300"]


async def test_a_csv_upload_runs_to_the_end_with_bad_rows_rejected(
    client: httpx.AsyncClient,
) -> None:
    data = csv_of(
        [
            good_row(0),
            ["publisher9.se", "ftp://nope.se/x", "anchor", "300"],  # line 3: bad URL
            good_row(1),
            ["publisher9.se", "https://www.target9.se/x", "", "300"],  # line 5: no anchor
            good_row(0),  # line 6: duplicate of line 2
        ]
    )
    response = await client.post(
        "/api/v1/batches/upload", files={"file": ("jobs.csv", data, "text/csv")}
    )
    assert response.status_code == 202, response.text
    body = response.json()
    batch_id = body["batch_id"]
    assert body["name"] == "jobs.csv" and body["created"] is True
    assert [a["row_number"] for a in body["accepted"]] == [2, 4]
    rejected = {r["row_number"]: r for r in body["rejected"]}
    assert set(rejected) == {3, 5, 6}
    assert "target_url" in rejected[3]["reason"]
    assert rejected[5]["reason"] == "anchor_text: empty"
    assert rejected[6]["kind"] == "duplicate_row" and "row 2" in rejected[6]["reason"]

    # Follow the batch: progress snapshots, then the end (the stream closes by itself).
    stream = await client.get(f"/api/v1/batches/{batch_id}/events")
    assert stream.status_code == 200
    snapshots = [
        json.loads(line[6:])
        for line in stream.text.splitlines()
        if line.startswith("data: ") and '"batch_id"' in line
    ]
    assert snapshots and snapshots[-1]["done"] == 2 and snapshots[-1]["status"] == "finished"
    assert "event: end" in stream.text

    progress = (await client.get(f"/api/v1/batches/{batch_id}")).json()
    assert progress["counts"]["passed"] == 2 and progress["total"] == 2
    jobs = (await client.get(f"/api/v1/batches/{batch_id}/jobs")).json()
    assert {j["status"] for j in jobs} == {"passed"}

    export = await client.get(f"/api/v1/batches/{batch_id}/export")
    assert export.status_code == 200
    assert export.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert f"{batch_id}/report.csv" in names and f"{batch_id}/errors.csv" in names
    assert sum(1 for n in names if n.startswith(f"{batch_id}/articles/")) == 2

    again = await client.post(
        "/api/v1/batches/upload", files={"file": ("jobs.csv", data, "text/csv")}
    )
    assert again.status_code == 200 and again.json()["batch_id"] == batch_id
    listed = (await client.get("/api/v1/batches")).json()
    assert [b["id"] for b in listed] == [batch_id]


async def test_json_rows_cancel_and_resume(make_client: MakeClient) -> None:
    client = await make_client(api_workers=0)  # nothing runs: the jobs stay queued
    rows = [
        {"publisher_domain": JOBS[i].publisher_domain, "target_url": JOBS[i].target_url,
         "anchor_text": JOBS[i].anchor_text, "min_word_count": 300}
        for i in (2, 3, 4)
    ]  # fmt: skip
    rows.append({"publisher_domain": "x.se", "target_url": "https://x.se/", "priority": "high"})
    response = await client.post("/api/v1/batches", json={"name": "api rows", "rows": rows})
    assert response.status_code == 202, response.text
    body = response.json()
    assert len(body["accepted"]) == 3
    [bad] = body["rejected"]
    assert bad["row_number"] == 4
    assert "anchor_text: missing" in bad["reason"] and "priority" in bad["reason"]
    batch_id = body["batch_id"]

    cancelled = await client.post(f"/api/v1/batches/{batch_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["counts"] == {"cancelled": 3}
    resumed = await client.post(f"/api/v1/batches/{batch_id}/resume")
    assert resumed.json()["status"] == "running" and resumed.json()["counts"] == {"queued": 3}


async def test_batch_errors(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", ""), ("GET", "/jobs"), ("GET", "/events"), ("GET", "/export"),
        ("POST", "/cancel"), ("POST", "/resume"),
    ]:  # fmt: skip
        response = await client.request(method, f"/api/v1/batches/batch_nope{path}")
        assert response.status_code == 404, path
        assert response.json()["fields"] == {"batch_id": "batch_nope"}

    not_a_table = await client.post(
        "/api/v1/batches/upload", files={"file": ("jobs.csv", b"<html>hi</html>", "text/csv")}
    )
    assert not_a_table.status_code == 422
    assert not_a_table.json()["kind"] == "batch_file"
    assert not_a_table.json()["message"]

    empty = await client.post("/api/v1/batches", json={"rows": []})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "rows"
    no_file = await client.post("/api/v1/batches/upload", data={"name": "x"})
    assert no_file.status_code == 422 and no_file.json()["errors"][0]["field"] == "file"
