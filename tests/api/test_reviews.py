"""The review queue over the real app: approve answers at once, revise runs in the background."""

from __future__ import annotations

import asyncio

import httpx

from bench.fake_llm import FakeLLM
from tests.api.conftest import JOBS, job_body, wait_for_status


async def submit_review_job(client: httpx.AsyncClient, index: int) -> str:
    job_id: str = (await client.post("/api/v1/jobs", json=job_body(JOBS[index]))).json()["id"]
    body = await wait_for_status(client, job_id, {"needs_review"})
    assert body["has_article"] and body["qc"]["overall"] < 80
    return job_id


async def test_approve_a_job_waiting_for_review(client: httpx.AsyncClient) -> None:
    job_id = await submit_review_job(client, 5)
    queue = (await client.get("/api/v1/reviews")).json()
    assert [item["job_id"] for item in queue] == [job_id]
    assert queue[0]["reasons"] and queue[0]["anchor_text"] == JOBS[5].anchor_text
    debug = (await client.get(f"/api/v1/jobs/{job_id}/debug")).json()
    assert debug["waiting_for_review"] is True and debug["next_nodes"]

    decided = await client.post(
        f"/api/v1/jobs/{job_id}/review", json={"action": "approve", "notes": "fine"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json() == {"job_id": job_id, "action": "approve", "status": "passed"}
    assert (await client.get("/api/v1/reviews")).json() == []
    assert (await client.get(f"/api/v1/jobs/{job_id}/article")).status_code == 200

    again = await client.post(f"/api/v1/jobs/{job_id}/review", json={"action": "reject"})
    assert again.status_code == 409 and again.json()["kind"] == "not_waiting_for_review"


async def test_revise_runs_in_the_background_and_comes_back(
    client: httpx.AsyncClient, fake_llm: tuple[FakeLLM, str]
) -> None:
    job_id = await submit_review_job(client, 6)
    revisions = fake_llm[0].by_role["reviser"]
    response = await client.post(
        f"/api/v1/jobs/{job_id}/review", json={"action": "revise", "notes": "more sources"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "revising"
    for _ in range(600):  # the fake still scores this anchor low: back in the queue
        await asyncio.sleep(0.05)
        if fake_llm[0].by_role["reviser"] > revisions:
            job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
            if job["status"] == "needs_review":
                break
    else:
        raise AssertionError("the revision did not come back")
    queue = (await client.get("/api/v1/reviews")).json()
    assert [item["job_id"] for item in queue] == [job_id]


async def test_a_bad_decision_names_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/jobs/job_x/review", json={"action": "maybe"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "action"
