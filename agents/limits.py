"""Per-endpoint admission shared by every job in the process: circuit breaker and rate limits.

- Circuit breaker: purgatory's async breaker, one circuit per endpoint. Only transient failures
  (timeouts, 429, 5xx, connection errors) count; a 400 says nothing about the endpoint's health.
- Requests per minute: pyrate-limiter's sliding-window log, so no 60-second window ever holds
  more requests than configured.
- Tokens per minute: aiolimiter's leaky bucket, charged with an estimate before the call and
  topped up with the reported usage after it (providers meter tokens the same way).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState
from pyrate_limiter import Duration, InMemoryBucket, Limiter, Rate

from agents.errors_map import is_transient_llm_error

__all__ = ["CallTicket", "EndpointGuard", "EndpointOpenError", "GuardRegistry"]


class EndpointOpenError(Exception):
    """The endpoint's circuit is open: skip it until its cool-down ends."""


@dataclass
class CallTicket:
    """Handed to the caller inside the guard: report the tokens the call really used."""

    estimated_tokens: int
    used_tokens: int | None = None

    def reconcile(self, used_tokens: int) -> None:
        """Record the usage the server reported."""
        self.used_tokens = used_tokens


class EndpointGuard:
    """Admission for one endpoint: breaker first, then request and token budgets."""

    def __init__(
        self,
        name: str,
        breakers: AsyncCircuitBreakerFactory,
        rpm: int | None = None,
        tpm: int | None = None,
        window_s: float = 60.0,
    ) -> None:
        self.name = name
        self._breakers = breakers
        self._requests = None
        if rpm:
            # rpm per minute, as rpm * window / 60 per window (tests shrink the window). The
            # window is padded by a guard band, so network jitter between our admission and the
            # provider's arrival clock never lets it count more than the limit in its window.
            per_window = max(1, round(rpm * window_s / 60))
            padded_ms = int(window_s * Duration.SECOND * 1.01) + 250
            rate = Rate(per_window, padded_ms)
            self._requests = Limiter(InMemoryBucket([rate]), buffer_ms=5)
        self._tokens = AsyncLimiter(tpm, 60) if tpm else None
        self._tpm = tpm or 0
        self.last_state = "closed"

    async def state(self) -> str:
        """Return the breaker's state: closed, opened or half-opened."""
        breaker = await self._breakers.get_breaker(self.name)
        self.last_state = breaker.context.state
        return self.last_state

    async def _charge_tokens(self, amount: int) -> None:
        if self._tokens is not None and amount > 0:
            await self._tokens.acquire(min(amount, self._tpm))

    @asynccontextmanager
    async def call(self, estimated_tokens: int) -> AsyncIterator[CallTicket]:
        """Admit one call; raise EndpointOpenError while the circuit is open."""
        breaker = await self._breakers.get_breaker(self.name)
        try:
            breaker.context.handle_new_request()  # raises while open; half-opens after cool-down
        except OpenedState as exc:
            self.last_state = "opened"
            raise EndpointOpenError(str(exc)) from exc
        if self._requests is not None:
            await self._requests.try_acquire_async(self.name, 1)
        await self._charge_tokens(estimated_tokens)
        ticket = CallTicket(estimated_tokens)
        async with breaker:
            yield ticket
        self.last_state = breaker.context.state
        if ticket.used_tokens is not None:
            await self._charge_tokens(ticket.used_tokens - estimated_tokens)


@dataclass
class GuardRegistry:
    """One guard per endpoint name for the whole process (all jobs, all roles)."""

    failure_threshold: int = 5
    cooldown_s: float = 30.0
    rate_window_s: float = 60.0
    _guards: dict[str, EndpointGuard] = field(default_factory=dict)
    _breakers: AsyncCircuitBreakerFactory | None = None

    def _factory(self) -> AsyncCircuitBreakerFactory:
        if self._breakers is None:
            # Non-transient errors are excluded: they do not count against the endpoint.
            self._breakers = AsyncCircuitBreakerFactory(
                default_threshold=self.failure_threshold,
                default_ttl=self.cooldown_s,
                exclude=[(Exception, lambda exc: not is_transient_llm_error(exc))],
            )
        return self._breakers

    def guard(self, name: str, rpm: int | None = None, tpm: int | None = None) -> EndpointGuard:
        """Return the endpoint's guard, creating it on first use."""
        if name not in self._guards:
            self._guards[name] = EndpointGuard(name, self._factory(), rpm, tpm, self.rate_window_s)
        return self._guards[name]

    async def states(self) -> dict[str, str]:
        """Return every endpoint's breaker state (for the debug view and metrics)."""
        return {name: await g.state() for name, g in sorted(self._guards.items())}
