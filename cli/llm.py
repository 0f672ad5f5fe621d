"""`bacowr llm ...`: run and inspect the embedded local model server."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Annotated

import typer

from schemas.errors import BacowrError
from schemas.settings import load_settings
from tools.local_llm import LocalModelServer, local_model_server

__all__ = ["llm_app"]

llm_app = typer.Typer(
    help="The embedded local model (llama.cpp serving Gemma 3 270M).", no_args_is_help=True
)

PortOpt = Annotated[
    int | None, typer.Option(help="Port to listen on (default: setting local_llm_port).")
]
ThreadsOpt = Annotated[
    int | None, typer.Option(min=1, help="CPU threads (default: setting local_llm_threads).")
]
ParallelOpt = Annotated[
    int | None,
    typer.Option(
        min=1, max=16, help="Parallel request slots (default: setting local_llm_parallel)."
    ),
]
CtxSizeOpt = Annotated[
    int | None,
    typer.Option(min=512, help="Context tokens per slot (default: setting local_llm_ctx_size)."),
]


def _server(
    port: int | None = None,
    threads: int | None = None,
    parallel: int | None = None,
    ctx_size: int | None = None,
) -> LocalModelServer:
    return local_model_server(
        load_settings(), port=port, threads=threads, parallel=parallel, ctx_size=ctx_size
    )


@llm_app.command()
def serve(
    port: PortOpt = None,
    threads: ThreadsOpt = None,
    parallel: ParallelOpt = None,
    ctx_size: CtxSizeOpt = None,
) -> None:
    """Run the local model server in the foreground until Ctrl-C."""
    try:
        server = _server(port, threads, parallel, ctx_size)
        code = asyncio.run(_serve(server))
    except KeyboardInterrupt:
        code = 0
    except BacowrError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    raise typer.Exit(code)


async def _serve(server: LocalModelServer) -> int:
    if await server.is_ready():
        typer.echo(f"A model server already answers at {server.base_url}; not starting another.")
        return 0
    cfg = server.config
    typer.echo(
        f"Starting llama-server on port {cfg.port} "
        f"(threads={cfg.threads}, parallel={cfg.parallel}, ctx/slot={cfg.ctx_size}) ..."
    )
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        await server.start()
        typer.echo(
            f"Serving {server.model_name} at {server.base_url} "
            f"(pid {server.pid}, log {cfg.log_file}). Ctrl-C to stop."
        )
        code = await server.wait()
        typer.secho(f"llama-server exited with code {code}", err=True)
        return code
    except asyncio.CancelledError:
        return 0
    finally:
        await server.stop()


@llm_app.command()
def status(port: PortOpt = None) -> None:
    """Say whether a model server answers on the local model port."""
    server = _server(port=port)
    if asyncio.run(server.is_ready()):
        typer.echo(f"ready: {server.base_url}")
    else:
        typer.echo(f"not running: nothing ready at {server.base_url}")
        raise typer.Exit(1)
