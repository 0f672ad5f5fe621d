"""`bacowr serve`: the REST API, the dashboard and in-process workers, under uvicorn."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from pydantic import ValidationError

__all__ = ["serve"]


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default: BACOWR_API_HOST).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port (default: BACOWR_API_PORT)."),
    ] = None,
    json_logs: Annotated[
        bool, typer.Option("--json-logs/--plain-logs", help="Log JSON lines (default) or text.")
    ] = True,
) -> None:
    """Serve the API and dashboard; run `api_workers` jobs at once in this process."""
    import uvicorn

    from api import create_app
    from cli._common import fail
    from schemas.settings import load_settings
    from services.api_preflight import StartupError, run_preflight
    from services.observability import configure_logging

    configure_logging(json=json_logs)
    try:
        settings = load_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise fail(f"invalid settings: {problems}") from None
    try:
        # The lifespan checks the same; checking first gives one clear line, not a traceback.
        asyncio.run(run_preflight(settings))
    except StartupError as exc:
        raise fail(exc.message) from None
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_config=None,  # keep configure_logging's handler
        proxy_headers=False,
        server_header=False,
    )
