"""Readiness: the database, the checkpointer and every configured model endpoint."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass

import httpx

from schemas.enums import Role
from schemas.settings import Settings
from services.observability import redact
from services.runtime import AppRuntime
from tools.local_llm import local_model_server

__all__ = ["Check", "Readiness", "model_endpoints", "readiness"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    latency_ms: float


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: list[Check]


def model_endpoints(settings: Settings) -> dict[str, str | None]:
    """Return each distinct model base URL of every role's chain, with its API key."""
    endpoints: dict[str, str | None] = {}
    local = local_model_server(settings).base_url
    for role in Role:
        for ep in settings.endpoint_chain(role):
            base = ep.base_url or local
            if base not in endpoints:
                endpoints[base] = ep.api_key.get_secret_value() if ep.api_key else None
    return endpoints


async def _timed(name: str, probe: Awaitable[str], timeout_s: float) -> Check:
    started = time.monotonic()
    try:
        detail = await asyncio.wait_for(probe, timeout_s)
        ok = True
    except Exception as exc:  # a probe's failure is its result, not the endpoint's error
        detail, ok = redact(f"{type(exc).__name__}: {exc}")[:300], False
    return Check(name, ok, str(detail), round((time.monotonic() - started) * 1000, 1))


async def _database(rt: AppRuntime) -> str:
    await rt.pool.fetchval("SELECT 1")
    return "SELECT 1 ok"


async def _checkpointer(rt: AppRuntime) -> str:
    saver = rt.graph.checkpointer
    if saver is None or isinstance(saver, bool):
        raise RuntimeError("the graph has no checkpointer")
    await saver.aget_tuple({"configurable": {"thread_id": "__readyz__"}})
    return "reachable"


async def _model(client: httpx.AsyncClient, base_url: str, api_key: str | None) -> str:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    response = await client.get(base_url.rstrip("/") + "/models", headers=headers)
    if response.status_code >= 500 or response.status_code in (401, 403, 404):
        raise RuntimeError(f"GET /models answered HTTP {response.status_code}")
    return f"HTTP {response.status_code}"


async def readiness(rt: AppRuntime, *, timeout_s: float = 2.0) -> Readiness:
    """Probe everything a job needs, concurrently, each with a short timeout."""
    async with httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as client:
        probes = [
            _timed("database", _database(rt), timeout_s),
            _timed("checkpointer", _checkpointer(rt), timeout_s),
            *(
                _timed(f"model {redact(base)}", _model(client, base, key), timeout_s)
                for base, key in model_endpoints(rt.settings).items()
            ),
        ]
        checks = list(await asyncio.gather(*probes))
    return Readiness(ready=all(c.ok for c in checks), checks=checks)
