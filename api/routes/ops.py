"""Operations: liveness, readiness, Prometheus metrics, prompt files."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from api.deps import MetricsDep, RuntimeDep, require_api_key
from api.models.common import ERROR_RESPONSES
from api.models.ops import CheckOut, HealthOut, PromptOut, ReadinessOut
from services.api_health import readiness
from services.api_preflight import list_prompts
from services.metrics import CONTENT_TYPE

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut, summary="Liveness")
async def healthz() -> HealthOut:
    """The process serves requests (no database call)."""
    return HealthOut(status="ok")


@router.get(
    "/readyz",
    response_model=ReadinessOut,
    responses={503: {"model": ReadinessOut, "description": "Something a job needs is down."}},
    summary="Readiness",
)
async def readyz(rt: RuntimeDep, response: Response) -> ReadinessOut:
    """Database, checkpointer and each model endpoint (GET /models), each with a short timeout."""
    result = await readiness(rt)
    if not result.ready:
        response.status_code = 503
    return ReadinessOut(
        ready=result.ready, checks=[CheckOut.model_validate(vars(c)) for c in result.checks]
    )


@router.get(
    "/metrics",
    dependencies=[Depends(require_api_key)],
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format."},
        401: ERROR_RESPONSES[401],
    },
    summary="Prometheus metrics",
)
async def metrics(rt: RuntimeDep, registry: MetricsDep) -> Response:
    """Jobs by status, queue depth, node durations, QC scores, LLM calls, breakers, HTTP."""
    await registry.refresh(rt)
    return Response(registry.render(), media_type=CONTENT_TYPE)


@router.get(
    "/api/v1/prompts",
    dependencies=[Depends(require_api_key)],
    response_model=list[PromptOut],
    responses={401: ERROR_RESPONSES[401]},
    summary="Prompt files",
)
async def prompts(rt: RuntimeDep) -> list[PromptOut]:
    """Each role's prompt file with its hash, last change and placeholder check."""
    return [
        PromptOut(
            role=p.role,
            file=p.file,
            sha=p.sha,
            changed_at=p.changed_at,
            ok=p.problem is None,
            problem=p.problem,
        )
        for p in list_prompts(rt.prompts)
    ]
