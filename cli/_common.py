"""Helpers shared by CLI commands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer

from schemas.errors import BacowrError
from schemas.settings import load_settings
from services.runtime import AppRuntime, open_runtime
from storage.errors import NotFoundError

T = TypeVar("T")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error and return the Exit to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def with_runtime(action: Callable[[AppRuntime], Awaitable[T]], *, llm: bool = False) -> T:
    """Open the runtime (database only unless `llm`), run `action`, close everything."""

    async def go() -> T:
        settings = load_settings()
        async with open_runtime(settings, with_llm=llm) as rt:
            return await action(rt)

    try:
        return asyncio.run(go())
    except NotFoundError as exc:
        raise fail(f"not found: {exc}") from exc
    except BacowrError as exc:
        raise fail(str(exc)) from exc
