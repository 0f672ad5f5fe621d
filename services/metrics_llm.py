"""Observe every LLM call made inside a context: latency, tokens, cost and errors per role.

A LangChain callback handler registered through a configure hook: LangChain adds it to every
run started while `observe_llm_calls(...)` is active (and in tasks started inside it), so the
model chains need no change. The role is read from the graph node the call runs in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult
from langchain_core.tracers.context import register_configure_hook

from schemas.settings import ModelPrice

__all__ = ["NODE_ROLES", "LLMCall", "LLMObserver", "observe_llm_calls"]

NODE_ROLES = {
    "research": "researcher",
    "intent_sentinel": "intent_sentinel",
    "write": "writer",
    "revise": "reviser",
    "qc_review": "qc_reviewer",
}


@dataclass(frozen=True)
class LLMCall:
    role: str
    model: str
    seconds: float
    input_tokens: int
    output_tokens: int
    cost_usd: float
    error: str | None = None


class LLMObserver(BaseCallbackHandler):
    """Time each chat-model run and report it as an `LLMCall`."""

    run_inline = True  # cheap bookkeeping: no thread hop per callback

    def __init__(
        self, report: Callable[[LLMCall], None], prices: dict[str, ModelPrice] | None = None
    ) -> None:
        self.report = report
        self.prices = prices or {}
        self._started: dict[UUID, tuple[float, str, str]] = {}

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[Any]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        meta = metadata or {}
        role = NODE_ROLES.get(str(meta.get("langgraph_node", "")), "other")
        model = str(meta.get("ls_model_name") or "unknown")
        self._started[run_id] = (time.monotonic(), role, model)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        started = self._started.pop(run_id, None)
        if started is None:
            return
        t0, role, model = started
        tokens_in, tokens_out = _usage(response)
        price = self.prices.get(model, ModelPrice())
        cost = (tokens_in * price.input_per_mtok + tokens_out * price.output_per_mtok) / 1e6
        self.report(LLMCall(role, model, time.monotonic() - t0, tokens_in, tokens_out, cost))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        started = self._started.pop(run_id, None)
        if started is not None:
            t0, role, model = started
            seconds = time.monotonic() - t0
            self.report(LLMCall(role, model, seconds, 0, 0, 0.0, error=type(error).__name__))


def _usage(response: LLMResult) -> tuple[int, int]:
    for generations in response.generations:
        for generation in generations:
            meta = getattr(getattr(generation, "message", None), "usage_metadata", None)
            if meta:
                return int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))
    usage = (response.llm_output or {}).get("token_usage") or {}
    return int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))


_observer: ContextVar[LLMObserver | None] = ContextVar("bacowr_llm_observer", default=None)
_hooked = False


@contextmanager
def observe_llm_calls(observer: LLMObserver) -> Iterator[None]:
    """Report every LLM call started in this context (and tasks created in it) to `observer`."""
    global _hooked
    if not _hooked:
        register_configure_hook(_observer, inheritable=True)
        _hooked = True
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)
