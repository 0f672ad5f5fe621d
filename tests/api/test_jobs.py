"""Jobs over the real app: submit, run to passed in-process, read, stream, debug, errors."""

from __future__ import annotations

import httpx

from tests.api.conftest import JOBS, MakeClient, job_body, wait_for_status


async def test_a_submitted_job_reaches_passed_via_the_in_process_workers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/v1/jobs", json=job_body(JOBS[0]))
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/api/v1/jobs/{job_id}"
    assert response.headers["x-request-id"]

    body = await wait_for_status(client, job_id, {"passed", "failed", "refused", "needs_review"})
    assert body["status"] == "passed", body
    assert body["outcome"] == "passed"
    assert body["qc"]["overall"] >= 80 and body["qc"]["status"] == "PASS"
    assert {c["criterion"] for c in body["qc"]["criteria"]} >= {"ANCHOR", "DRAFT", "COMPLIANCE"}
    assert len(body["qc"]["criteria"]) == 8
    assert body["usage"]["tokens_in"] > 0 and body["has_article"]
    assert body["timings"]["finished_at"] is not None and body["iteration"] == 0  # passed at once

    article = await client.get(f"/api/v1/jobs/{job_id}/article")
    assert article.status_code == 200
    assert article.headers["content-type"].startswith("text/markdown")
    assert JOBS[0].anchor_text in article.text


async def test_debug_history_and_event_stream_of_a_finished_job(
    client: httpx.AsyncClient,
) -> None:
    job_id = (await client.post("/api/v1/jobs", json=job_body(JOBS[1]))).json()["id"]
    await wait_for_status(client, job_id, {"passed"})

    debug = (await client.get(f"/api/v1/jobs/{job_id}/debug")).json()
    assert debug["next_nodes"] == [] and debug["waiting_for_review"] is False
    assert debug["checkpoint_id"] and debug["checkpoint_at"]
    assert debug["qc_overall"] >= 80 and debug["iteration"] == 0
    assert {p["role"] for p in debug["prompts"]} >= {"writer", "researcher"}
    assert not any(p["changed"] for p in debug["prompts"])
    assert isinstance(debug["breakers"], dict)

    history = (await client.get(f"/api/v1/jobs/{job_id}/history", params={"limit": 50})).json()
    assert len(history) > 3
    assert history[0]["next_nodes"] == []  # newest first: the end
    assert history[0]["summary"]["outcome"] == "passed"
    steps = [h["step"] for h in history]
    assert steps == sorted(steps, reverse=True)

    # The job has ended, so the stream replays its timeline and closes by itself.
    stream = await client.get(f"/api/v1/jobs/{job_id}/events")
    assert stream.status_code == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert "event: entered" in stream.text and '"node":"write"' in stream.text
    assert "event: end" in stream.text and '"status": "passed"' in stream.text
    ids = [int(line[4:]) for line in stream.text.splitlines() if line.startswith("id: ")]
    resumed = await client.get(
        f"/api/v1/jobs/{job_id}/events", headers={"Last-Event-ID": str(ids[-2])}
    )
    assert [int(x[4:]) for x in resumed.text.splitlines() if x.startswith("id: ")] == ids[-1:]


async def test_a_repeated_idempotency_key_returns_the_same_job(
    make_client: MakeClient,
) -> None:
    client = await make_client(api_workers=0)
    headers = {"Idempotency-Key": "order-4711"}
    first = await client.post("/api/v1/jobs", json=job_body(JOBS[2]), headers=headers)
    again = await client.post("/api/v1/jobs", json=job_body(JOBS[2]), headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["created"], again.json()["created"]) == (True, False)

    other = await client.post("/api/v1/jobs", json=job_body(JOBS[3]), headers=headers)
    assert other.status_code == 409
    assert other.json()["kind"] == "idempotency_conflict"

    # No final article while the job waits in the queue (no workers here).
    article = await client.get(f"/api/v1/jobs/{first.json()['id']}/article")
    assert article.status_code == 404 and article.json()["kind"] == "not_found"


async def test_unknown_ids_answer_404(client: httpx.AsyncClient) -> None:
    for path in ("", "/article", "/debug", "/history", "/events"):
        response = await client.get(f"/api/v1/jobs/job_nope{path}")
        assert response.status_code == 404, path
        body = response.json()
        assert body["kind"] == "not_found" and body["fields"] == {"job_id": "job_nope"}
        assert body["request_id"] == response.headers["x-request-id"]
        assert "Traceback" not in response.text
    review = await client.post("/api/v1/jobs/job_nope/review", json={"action": "approve"})
    assert review.status_code == 404


async def test_a_bad_body_answers_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/jobs", json=job_body(JOBS[0], target_url="ftp://example.se/x")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["kind"] == "validation"
    assert [e["field"] for e in body["errors"]] == ["target_url"]
    assert "http or https" in body["message"]

    missing = {k: v for k, v in job_body(JOBS[0]).items() if k != "anchor_text"}
    response = await client.post("/api/v1/jobs", json=missing)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "anchor_text"

    response = await client.post(
        "/api/v1/jobs", json=job_body(JOBS[0], generation_constraints={"language": "xx"})
    )
    assert response.json()["errors"][0]["field"] == "generation_constraints.language"

    broken = await client.post(
        "/api/v1/jobs", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 422
