"""A role's model chain: the primary endpoint, then fallbacks, with the one retry layer.

This is the only place LLM calls are retried: transient errors (timeouts, 429, 5xx, connection
errors) are retried per endpoint with exponential backoff and jitter, honouring Retry-After;
then the next endpoint is tried. The SDK's own retries are off (`max_retries=0`). When every
endpoint fails the chain raises `LLMUnavailableError`, which the graph does not retry.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage

from agents.errors_map import is_transient_llm_error, retry_after_seconds, status_of
from agents.limits import CallTicket, EndpointOpenError
from schemas.errors import LLMUnavailableError
from schemas.state import TokenUsage

__all__ = ["CallResult", "Guard", "ModelChain", "ModelEndpoint", "RetrySettings", "UsageSink"]

Sleep = Callable[[float], Awaitable[None]]


class Guard(Protocol):
    """Per-endpoint admission (agents/limits.py): breaker, then request and token budgets."""

    def call(self, estimated_tokens: int) -> AbstractAsyncContextManager[CallTicket]:
        """Admit one call; raise EndpointOpenError while the endpoint's circuit is open."""
        ...


@dataclass(frozen=True)
class RetrySettings:
    attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    jitter: float = 0.25

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Return the wait before retry number `attempt` (1-based)."""
        backoff = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        backoff *= 1 + rng.uniform(-self.jitter, self.jitter)
        if retry_after is not None:
            return min(max(retry_after, backoff), max(self.max_delay_s, retry_after))
        return backoff


@dataclass
class ModelEndpoint:
    """One model at one OpenAI-compatible endpoint, as a role's chain uses it."""

    name: str
    model: BaseChatModel
    structured: str | None = None  # json_schema | json_object | tool_calling | None (prompt only)
    guard: Guard | None = None
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    request_kwargs: dict[str, Any] = field(default_factory=dict)
    # Extra request settings for structured (JSON) calls, e.g. a small local model's sampling.
    json_kwargs: dict[str, Any] = field(default_factory=dict)

    def cost(self, usage: TokenUsage) -> float:
        """Return the cost in USD of the given usage."""
        return (
            usage.input_tokens * self.price_in_per_mtok
            + usage.output_tokens * self.price_out_per_mtok
        ) / 1_000_000


@dataclass(frozen=True)
class CallResult:
    message: AIMessage
    endpoint: str
    usage: TokenUsage


def estimate_tokens(messages: Sequence[BaseMessage], max_out: int = 0) -> int:
    """Estimate a call's tokens before it is made (about 4 characters a token)."""
    chars = sum(len(str(m.content)) for m in messages)
    return chars // 4 + max_out


def usage_of(message: AIMessage, messages: Sequence[BaseMessage]) -> TokenUsage:
    """Return the usage the server reported, or an estimate when it reported none."""
    meta = message.usage_metadata
    if meta:
        return TokenUsage(
            input_tokens=meta.get("input_tokens", 0),
            output_tokens=meta.get("output_tokens", 0),
            calls=1,
        )
    return TokenUsage(
        input_tokens=estimate_tokens(messages),
        output_tokens=len(str(message.content)) // 4,
        calls=1,
    )


class ModelChain:
    """Call a role's endpoints in order until one answers."""

    def __init__(
        self,
        endpoints: Sequence[ModelEndpoint],
        retry: RetrySettings | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not endpoints:
            raise ValueError("a model chain needs at least one endpoint")
        self.endpoints = list(endpoints)
        self.retry = retry or RetrySettings()
        self._sleep = sleep
        self._rng = rng or random.Random()

    async def ainvoke(
        self,
        messages: Sequence[BaseMessage],
        bind: Callable[[ModelEndpoint], Any] | None = None,
        sink: UsageSink | None = None,
    ) -> CallResult:
        """Return the first successful answer; raise LLMUnavailableError when all fail.

        `bind(endpoint)` returns the runnable to call for that endpoint (e.g. the model bound
        to a response format); by default the endpoint's model itself. `sink` is the job's
        budget: checked before every attempt and charged after every answer.
        """
        errors: list[str] = []
        for endpoint in self.endpoints:
            runnable = bind(endpoint) if bind else endpoint.model
            for attempt in range(1, self.retry.attempts + 1):
                if sink is not None:
                    sink.check()
                estimate = estimate_tokens(messages, 256)
                try:
                    async with _admit(endpoint, estimate) as ticket:
                        try:
                            message = await runnable.ainvoke(
                                list(messages), **endpoint.request_kwargs
                            )
                        except openai.LengthFinishReasonError as cut:
                            # A structured answer cut off at max_tokens: hand the partial
                            # answer on, so the repair round can ask for a shorter one.
                            message = _truncated(cut)
                        if not isinstance(message, AIMessage):
                            message = AIMessage(content=str(getattr(message, "content", message)))
                        usage = usage_of(message, messages)
                        ticket.reconcile(usage.input_tokens + usage.output_tokens)
                except EndpointOpenError:
                    errors.append(f"{endpoint.name}: circuit open")
                    break
                except Exception as exc:  # classified below; anything unknown fails fast
                    status = status_of(exc)
                    errors.append(f"{endpoint.name}: {type(exc).__name__} {status or ''}".strip())
                    if not is_transient_llm_error(exc) or attempt == self.retry.attempts:
                        break
                    wait = self.retry.delay(attempt, retry_after_seconds(exc), self._rng)
                    await self._sleep(wait)
                    continue
                usage = usage.model_copy(update={"cost_usd": endpoint.cost(usage)})
                if sink is not None:
                    sink.charge(usage)
                return CallResult(message=message, endpoint=endpoint.name, usage=usage)
        raise LLMUnavailableError(
            "every model of the chain failed: " + "; ".join(errors), errors=len(errors)
        )


def _truncated(exc: openai.LengthFinishReasonError) -> AIMessage:
    completion = exc.completion
    content = completion.choices[0].message.content if completion.choices else ""
    usage = completion.usage
    meta = (
        {
            "input_tokens": usage.prompt_tokens,
            "output_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
        }
        if usage
        else None
    )
    return AIMessage(
        content=content or "",
        response_metadata={"finish_reason": "length"},
        usage_metadata=meta,
    )


class UsageSink(Protocol):
    """A job's budget, as the chain sees it."""

    def check(self) -> None:
        """Raise BudgetExceededError when the budget is spent."""
        ...

    def charge(self, usage: TokenUsage) -> None:
        """Add one call's usage."""
        ...


@asynccontextmanager
async def _admit(endpoint: ModelEndpoint, estimate: int) -> AsyncIterator[CallTicket]:
    if endpoint.guard is None:
        yield CallTicket(estimate)
        return
    async with endpoint.guard.call(estimate) as ticket:
        yield ticket
