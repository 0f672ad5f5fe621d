"""Dependencies as `Annotated` aliases, so a handler's signature says what it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import ApiKeys
from schemas.settings import Settings
from services.api_workers import BackgroundWork
from services.metrics import ApiMetrics
from services.runtime import AppRuntime

__all__ = [
    "ApiState",
    "BackgroundDep",
    "MetricsDep",
    "RuntimeDep",
    "SettingsDep",
    "StateDep",
    "require_api_key",
]


@dataclass
class ApiState:
    """What the lifespan opened for one app (kept on `app.state.bacowr`)."""

    settings: Settings
    keys: ApiKeys
    metrics: ApiMetrics
    poll_s: float
    runtime: AppRuntime | None = None
    background: BackgroundWork | None = None


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.bacowr
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


def get_runtime(state: StateDep) -> AppRuntime:
    if state.runtime is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "the service is starting")
    return state.runtime


def get_background(state: StateDep) -> BackgroundWork:
    if state.background is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "the service is starting")
    return state.background


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_metrics(state: StateDep) -> ApiMetrics:
    return state.metrics


RuntimeDep = Annotated[AppRuntime, Depends(get_runtime)]
BackgroundDep = Annotated[BackgroundWork, Depends(get_background)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[ApiMetrics, Depends(get_metrics)]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key from BACOWR_API_KEYS, sent as `Authorization: Bearer <key>`.",
)


def require_api_key(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse the request (401) unless it carries a configured key (when keys are set)."""
    token = credentials.credentials if credentials is not None else None
    if not state.keys.accepts(token):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid API key is required" if token else "missing API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
