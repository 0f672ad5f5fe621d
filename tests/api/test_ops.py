"""Operations: health, readiness, prompts, metrics, and the startup checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from api import create_app
from bench.fake_llm import FakeLLM
from schemas.settings import default_prompts_dir
from services.api_preflight import StartupError
from tests.api.conftest import JOBS, MakeClient, api_settings, job_body, wait_for_status


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    checks = {c["name"].split(" ")[0]: c for c in ready.json()["checks"]}
    assert set(checks) == {"database", "checkpointer", "model"}
    assert all(c["ok"] for c in checks.values())


async def test_readiness_reports_a_dead_model_endpoint(make_client: MakeClient) -> None:
    client = await make_client(api_workers=0, llm_base_url="http://127.0.0.1:9/v1")
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    [model] = [c for c in ready.json()["checks"] if c["name"].startswith("model")]
    assert model["ok"] is False and model["name"] == "model http://127.0.0.1:9/v1"


async def test_prompts_lists_every_role_with_its_hash(client: httpx.AsyncClient) -> None:
    prompts = (await client.get("/api/v1/prompts")).json()
    assert {p["role"] for p in prompts} == {
        "researcher", "intent_sentinel", "writer", "reviser", "qc_reviewer",
    }  # fmt: skip
    assert all(p["ok"] and len(p["sha"]) == 12 and p["changed_at"] for p in prompts)


async def test_metrics_cover_jobs_nodes_qc_and_llm_calls(client: httpx.AsyncClient) -> None:
    job_id = (await client.post("/api/v1/jobs", json=job_body(JOBS[7]))).json()["id"]
    await wait_for_status(client, job_id, {"passed"})
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'bacowr_jobs{status="passed"} 1.0' in text
    assert "bacowr_queue_depth 0.0" in text
    assert 'bacowr_node_duration_seconds_count{node="write"} 1.0' in text
    assert "bacowr_qc_score_count 1.0" in text
    assert 'bacowr_llm_call_duration_seconds_count{model="fake",role="writer"} 1.0' in text
    assert 'bacowr_llm_tokens_total{direction="input",model="fake",role="researcher"}' in text
    assert 'bacowr_http_requests_total{method="POST",route="/api/v1/jobs",status="202"}' in text


async def test_startup_fails_with_one_clear_message(
    tmp_path: Path, empty_db: str, fake_llm: tuple[FakeLLM, str], research_dir: Path
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), prompts, ignore=shutil.ignore_patterns("*.py"))
    writer = prompts / "writer.md"
    writer.write_text(writer.read_text("utf-8") + "\n{surprise}\n", "utf-8")
    settings = api_settings(empty_db, fake_llm[1], research_dir, prompts_dir=prompts)
    with pytest.raises(StartupError, match=r"writer.md .*unknown placeholders \['surprise'\]"):
        async with LifespanManager(create_app(settings)):
            pass

    bad_db = "postgresql://bacowr:hunter2@127.0.0.1:9/none"
    settings = api_settings(empty_db, fake_llm[1], research_dir, database_url=SecretStr(bad_db))
    with pytest.raises(StartupError, match="cannot reach the database") as caught:
        async with LifespanManager(create_app(settings)):
            pass
    assert "hunter2" not in str(caught.value)

    settings = api_settings(empty_db, fake_llm[1], research_dir, api_keys=[SecretStr("short")])
    with pytest.raises(StartupError, match="shorter than 16"):
        async with LifespanManager(create_app(settings)):
            pass
