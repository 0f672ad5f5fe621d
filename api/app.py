"""The FastAPI app factory. Nothing is built at import time: `bacowr serve` calls create_app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import Depends, FastAPI

from api.auth import ApiKeys
from api.deps import ApiState, require_api_key
from api.errors import install_error_handlers
from api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from api.models.common import ERROR_RESPONSES
from api.routes import batches, dashboard, job_inside, jobs, ops, reviews
from schemas.settings import Settings
from services.api_preflight import run_preflight
from services.api_workers import BackgroundWork
from services.metrics import ApiMetrics
from services.runtime import AppRuntime, open_runtime

__all__ = ["RuntimeFactory", "create_app"]

log = logging.getLogger(__name__)

RuntimeFactory = Callable[[Settings], AbstractAsyncContextManager[AppRuntime]]

DESCRIPTION = """\
bacowr writes SEO backlink articles: one job = one article through a checkpointed LangGraph
thread (research, intent check, write, QC, revise). Submit jobs one by one or as batches,
follow them live (server-sent events), decide the ones that need a person, export results.

Every route except `/healthz`, `/readyz` and these docs needs `Authorization: Bearer <key>`
when API keys are configured (`BACOWR_API_KEYS`).
"""


def create_app(
    settings: Settings,
    *,
    runtime_factory: RuntimeFactory | None = None,
    poll_s: float = 1.0,
    worker_poll_s: float = 0.5,
) -> FastAPI:
    """Build the app; its lifespan checks settings, prompts and the database, opens the
    runtime, starts `settings.api_workers` in-process job slots, and stops them on shutdown.

    `runtime_factory` replaces `open_runtime` (tests may inject one); `poll_s` is how often
    the live streams look for news.
    """
    factory: RuntimeFactory = runtime_factory or open_runtime
    metrics = ApiMetrics()
    state = ApiState(
        settings=settings, keys=ApiKeys(settings.api_keys), metrics=metrics, poll_s=poll_s
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_preflight(settings)
        async with factory(settings) as rt:
            background = BackgroundWork(
                rt,
                concurrency=settings.api_workers,
                observer=metrics.llm_observer(rt),
                poll_s=worker_poll_s,
            )
            background.start()
            state.runtime, state.background = rt, background
            log.info("bacowr API ready (%d in-process job slots)", settings.api_workers)
            try:
                yield
            finally:
                state.runtime = None
                await background.stop()
                state.background = None

    app = FastAPI(
        title="bacowr",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.bacowr = state
    install_error_handlers(app)
    protected = [Depends(require_api_key)]
    for router in (jobs.router, job_inside.router, batches.router, reviews.router):
        app.include_router(router, dependencies=protected, responses=ERROR_RESPONSES)
    app.include_router(ops.router)
    app.include_router(dashboard.router)
    app.include_router(dashboard.fragments, dependencies=protected)
    dashboard.mount_static(app)
    # The last added is outermost: request ids and logs wrap everything, the 413 included.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app
