"""Turn a node's typed, non-transient errors into a recorded failure instead of a crash."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from langgraph.runtime import Runtime

from nodes.context import JobContext
from schemas.errors import BacowrError, TransientError
from schemas.state import JobFailure, JobState

__all__ = ["NodeFn", "guarded"]


class NodeFn(Protocol):
    def __call__(
        self, state: JobState, *, runtime: Runtime[JobContext]
    ) -> Coroutine[Any, Any, dict[str, Any]]: ...


def guarded(name: str) -> Callable[[NodeFn], NodeFn]:
    """Wrap a node: transient errors propagate (RetryPolicy retries them); other bacowr errors
    become `failure` on the state, which the routers send to the `fail` node."""

    def decorate(fn: NodeFn) -> NodeFn:
        @functools.wraps(fn)
        async def node(state: JobState, *, runtime: Runtime[JobContext]) -> dict[str, Any]:
            try:
                return await fn(state, runtime=runtime)
            except TransientError:
                raise
            except BacowrError as exc:
                return {"failure": JobFailure(kind=exc.kind, message=str(exc), node=name)}

        return node

    return decorate
