"""API keys, the body size limit, and what error responses never contain."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx

from api.auth import ApiKeys
from tests.api.conftest import API_KEY, JOBS, MakeClient, job_body


async def test_every_route_but_health_needs_a_key(make_client: MakeClient) -> None:
    client = await make_client(auth=False, api_workers=0)
    for method, path in [
        ("POST", "/api/v1/jobs"), ("GET", "/api/v1/jobs/x"), ("GET", "/api/v1/jobs/x/events"),
        ("GET", "/api/v1/batches"), ("POST", "/api/v1/batches/x/cancel"),
        ("GET", "/api/v1/reviews"), ("GET", "/api/v1/prompts"), ("GET", "/metrics"),
        ("GET", "/ui/batches"),
    ]:  # fmt: skip
        response = await client.request(method, path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["kind"] == "unauthorized"
    wrong = await client.get("/api/v1/batches", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "a valid API key is required"
    right = await client.get("/api/v1/batches", headers={"Authorization": f"Bearer {API_KEY}"})
    assert right.status_code == 200
    for open_path in ("/healthz", "/readyz", "/openapi.json", "/docs", "/"):
        assert (await client.get(open_path)).status_code == 200, open_path


async def test_without_keys_the_api_is_open(make_client: MakeClient) -> None:
    client = await make_client(auth=False, api_keys=[], api_workers=0)
    assert (await client.get("/api/v1/batches")).status_code == 200


def test_keys_are_held_as_digests() -> None:
    from pydantic import SecretStr

    keys = ApiKeys([SecretStr(API_KEY)])
    assert keys.accepts(API_KEY) and not keys.accepts(API_KEY + "x") and not keys.accepts(None)
    assert API_KEY.encode() not in b"".join(keys._digests)
    assert ApiKeys([]).accepts(None)


async def test_an_oversize_body_answers_413(make_client: MakeClient) -> None:
    client = await make_client(api_workers=0, api_max_body_bytes=2048)
    body = job_body(JOBS[0], anchor_text="x" * 4000)
    declared = await client.post("/api/v1/jobs", json=body)
    assert declared.status_code == 413
    assert declared.json()["kind"] == "payload_too_large"

    async def chunks(data: bytes) -> AsyncIterator[bytes]:  # no Content-Length: counted
        for start in range(0, len(data), 1000):
            yield data[start : start + 1000]

    for path, content_type, data in [
        ("/api/v1/jobs", "application/json", json.dumps(body).encode()),
        ("/api/v1/batches/upload", "multipart/form-data; boundary=b", _multipart(5000)),
    ]:
        streamed = await client.post(
            path, content=chunks(data), headers={"Content-Type": content_type}
        )
        assert streamed.status_code == 413, path
        assert streamed.json()["kind"] == "payload_too_large"
    small = await client.post("/api/v1/jobs", json=job_body(JOBS[0]))
    assert small.status_code == 202


def _multipart(size: int) -> bytes:
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    return head + b"x" * size + b"\r\n--b--\r\n"


async def test_errors_carry_no_secrets_or_traces(make_client: MakeClient) -> None:
    client = await make_client(api_workers=0)
    response = await client.get("/api/v1/jobs/x/article")
    assert response.status_code == 404
    text = response.text
    assert "Traceback" not in text and "postgres" not in text and "test" not in text.lower()
    unknown = await client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["kind"] == "not_found"


async def test_request_ids_are_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    response = await client.get("/healthz", headers={"X-Request-ID": "bad id\n<script>"})
    assert response.headers["x-request-id"].isalnum()
