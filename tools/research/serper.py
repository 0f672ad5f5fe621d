"""Search results from the Serper.dev API, retried with backoff on 429 and 5xx."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from schemas.evidence import SerpEvidence, SerpHit
from tools.research.clients import ClientFactory

__all__ = ["SerpClient", "SerperClient", "country_for_language"]

Sleep = Callable[[float], Awaitable[None]]

_COUNTRY = {"sv": "se", "en": "us", "da": "dk", "no": "no", "nb": "no", "fi": "fi", "de": "de"}


class SerpClient(Protocol):
    """Anything that answers a query with organic search results."""

    async def search(self, query: str, language: str) -> SerpEvidence: ...


def country_for_language(language: str) -> str:
    """Return the Google country (`gl`) that best matches an article language (`hl`)."""
    return _COUNTRY.get(language.lower(), language.lower())


class _Organic(BaseModel):
    model_config = ConfigDict(extra="ignore")

    position: int | None = None
    title: str = ""
    link: str = ""
    snippet: str = ""


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organic: list[_Organic] = []


class _Retry(Exception):
    def __init__(self, reason: str, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


class _Fatal(Exception):
    """A failure retrying cannot fix (bad key, bad request, malformed answer)."""


class SerperClient:
    """A `SerpClient` for https://serper.dev (POST {base}/search with an X-API-KEY header)."""

    provider_name = "serper"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://google.serper.dev",
        client_factory: ClientFactory | None = None,
        timeout_s: float = 15.0,
        num_results: int = 10,
        max_attempts: int = 4,
        base_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        sleep: Sleep | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._api_key = api_key
        self._endpoint = base_url.rstrip("/") + "/search"
        # The endpoint is configured, not user-supplied, so no SSRF pinning is needed here.
        self._client_factory = client_factory or httpx.AsyncClient
        self._timeout = timeout_s
        self._num = num_results
        self._max_attempts = max(1, max_attempts)
        self._base_delay_s = base_delay_s
        self._max_delay_s = max_delay_s
        self._sleep = sleep or asyncio.sleep
        self._jitter = jitter

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Return the organic results; failures come back as evidence with `error` set."""
        body = {"q": query, "gl": country_for_language(language), "hl": language, "num": self._num}
        evidence = SerpEvidence(query=query, language=language, provider=self.provider_name)
        last = ""
        async with self._client_factory() as client:
            for attempt in range(1, self._max_attempts + 1):
                try:
                    hits = await self._attempt(client, body)
                except _Retry as retry:
                    last = retry.reason
                    if attempt < self._max_attempts:
                        await self._sleep(self._delay(attempt, retry.retry_after_s))
                    continue
                except _Fatal as fatal:
                    return evidence.model_copy(update={"error": str(fatal)})
                return evidence.model_copy(update={"hits": hits})
        error = f"serper gave up after {self._max_attempts} attempts: {last}"
        return evidence.model_copy(update={"error": error})

    async def _attempt(self, client: httpx.AsyncClient, body: dict[str, object]) -> list[SerpHit]:
        try:
            response = await client.post(
                self._endpoint,
                json=body,
                headers={"X-API-KEY": self._api_key},
                timeout=self._timeout,
            )
        except httpx.TransportError as exc:
            raise _Retry(f"{type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}", _retry_after(response.headers.get("retry-after")))
        if status != 200:
            raise _Fatal(f"serper answered HTTP {status}: {response.text[:200]}")
        try:
            answer = _Answer.model_validate_json(response.content)
        except ValidationError as exc:
            raise _Fatal(f"serper answered malformed JSON: {exc.errors()[0]['msg']}") from exc
        hits = []
        for index, item in enumerate(answer.organic, start=1):
            if item.link:
                rank = item.position if item.position and item.position >= 1 else index
                hits.append(
                    SerpHit(rank=rank, url=item.link, title=item.title, snippet=item.snippet)
                )
        return hits

    def _delay(self, attempt: int, retry_after_s: float | None) -> float:
        if retry_after_s is not None:
            return min(retry_after_s, self._max_delay_s)
        ceiling = min(self._max_delay_s, self._base_delay_s * 2 ** (attempt - 1))
        # "Equal jitter": at least half the backoff, so retries never bunch up at zero.
        return ceiling / 2 + self._jitter() * ceiling / 2


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
