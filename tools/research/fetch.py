"""Fetch one page over HTTP(S) safely: SSRF-checked and pinned, bounded, robots-aware.

The fetcher raises typed errors (`FetchRefusedError`, `FetchError`, `TransientFetchError`); the
research provider turns them into `PageEvidence(error=...)`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from schemas.errors import FetchError, TransientFetchError
from schemas.settings import Settings
from tools.research.clients import ClientFactory, make_client_factory
from tools.research.robots import RobotsCache
from tools.research.ssrf import PinnedTarget, SsrfGuard

__all__ = ["HTML_TYPES", "FetchPolicy", "FetchedResponse", "PageFetcher"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners of the fetcher (normally taken from `Settings`)."""

    user_agent: str = "bacowr-research/0.1"
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    respect_robots: bool = True
    total_timeout_s: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """Return the policy the settings describe."""
        return cls(
            user_agent=settings.fetch_user_agent,
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            connect_timeout_s=settings.fetch_connect_timeout_s,
            read_timeout_s=settings.fetch_read_timeout_s,
            respect_robots=settings.fetch_respect_robots,
        )

    @property
    def deadline_s(self) -> float:
        """Return the cap on one whole fetch (a slow drip never trips the read timeout)."""
        if self.total_timeout_s is not None:
            return self.total_timeout_s
        return 2 * self.connect_timeout_s + 3 * self.read_timeout_s


@dataclass(frozen=True)
class FetchedResponse:
    """A successfully fetched body and where it came from."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    redirects: tuple[str, ...] = field(default=())


class PageFetcher:
    """Fetch URLs through the SSRF guard, following redirects one checked hop at a time."""

    def __init__(
        self,
        guard: SsrfGuard,
        policy: FetchPolicy | None = None,
        *,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self._guard = guard
        self._policy = policy or FetchPolicy()
        self._client_factory = client_factory or make_client_factory()
        p = self._policy
        self._timeout = httpx.Timeout(
            connect=p.connect_timeout_s, read=p.read_timeout_s, write=p.read_timeout_s, pool=None
        )
        self._robots = RobotsCache(self._fetch_robots, p.user_agent)

    async def fetch(
        self, url: str, *, accept: Collection[str] | None = HTML_TYPES
    ) -> FetchedResponse:
        """Fetch `url`; `accept` lists the content types wanted (None accepts anything).

        Raises:
            FetchRefusedError: the SSRF guard refused the URL or a redirect target.
            FetchError: robots.txt disallows it, HTTP 4xx, too large, wrong content type.
            TransientFetchError: timeout, connection failure, HTTP 429 or 5xx.
        """
        p = self._policy
        return await self._fetch_within_deadline(url, accept, p.respect_robots, p.max_bytes)

    async def _fetch_robots(self, url: str) -> bytes:
        response = await self._fetch_within_deadline(url, None, False, _ROBOTS_MAX_BYTES)
        return response.body

    async def _fetch_within_deadline(
        self, url: str, accept: Collection[str] | None, robots: bool, max_bytes: int
    ) -> FetchedResponse:
        try:
            async with asyncio.timeout(self._policy.deadline_s):
                return await self._fetch(url, accept, robots, max_bytes)
        except TimeoutError as exc:
            raise TransientFetchError("fetch took too long", url=url, phase="total") from exc

    async def _fetch(
        self, url: str, accept: Collection[str] | None, robots: bool, max_bytes: int
    ) -> FetchedResponse:
        redirects: list[str] = []
        current = url
        clients: dict[str, httpx.AsyncClient] = {}
        try:
            while True:
                target = await self._guard.check(current)
                if robots and not await self._robots.allowed(current):
                    raise FetchError(
                        "robots.txt disallows fetching this URL", url=current, reason="robots"
                    )
                # One client per host name: a pooled TLS connection is never reused for another
                # name that happens to share the address (its SNI would be wrong).
                client = clients.get(target.host)
                if client is None:
                    client = clients[target.host] = self._client_factory()
                response = await self._send(client, target)
                try:
                    if response.has_redirect_location:
                        if len(redirects) >= self._policy.max_redirects:
                            raise FetchError(
                                "too many redirects",
                                url=url,
                                limit=self._policy.max_redirects,
                                status=response.status_code,
                            )
                        current = urljoin(current, response.headers["location"])
                        redirects.append(current)
                        continue
                    return await self._accept(url, current, response, accept, max_bytes, redirects)
                finally:
                    await response.aclose()
        finally:
            for open_client in clients.values():
                await open_client.aclose()

    async def _send(self, client: httpx.AsyncClient, target: PinnedTarget) -> httpx.Response:
        # Connect to the checked address while speaking to the original host: the Host header
        # carries the name, TLS uses it for SNI and certificate checks.
        headers = {
            "Host": target.url.netloc.decode("ascii"),
            "User-Agent": self._policy.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "identity",
        }
        extensions: dict[str, Any] = {}
        if not target.host_is_ip:
            extensions["sni_hostname"] = target.url.host
        request = client.build_request(
            "GET",
            target.url.copy_with(host=str(target.ip)),
            headers=headers,
            timeout=self._timeout,
            extensions=extensions,
        )
        url = str(target.url)
        try:
            return await client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise TransientFetchError("timed out", url=url, phase=type(exc).__name__) from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            if _caused_by(exc, ssl.SSLCertVerificationError):
                raise FetchError(f"TLS certificate rejected: {exc}", url=url) from exc
            raise TransientFetchError(f"connection failed: {exc}", url=url) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed: {exc}", url=url) from exc

    async def _accept(
        self,
        url: str,
        final_url: str,
        response: httpx.Response,
        accept: Collection[str] | None,
        max_bytes: int,
        redirects: list[str],
    ) -> FetchedResponse:
        status = response.status_code
        content_type = response.headers.get("content-type")
        mime = content_type.split(";", 1)[0].strip().lower() if content_type else None
        fields = {"url": final_url, "status": status, "content_type": mime}
        if status == 429 or status >= 500:
            raise TransientFetchError(f"server answered HTTP {status}", **fields)
        if status != 200:
            raise FetchError(f"server answered HTTP {status}", **fields)
        if accept is not None and mime is not None and mime not in accept:
            raise FetchError(f"not an HTML page ({mime})", **fields)
        body = await _read_limited(response, max_bytes, fields)
        return FetchedResponse(
            url=url,
            final_url=final_url,
            status=status,
            content_type=mime,
            charset=response.charset_encoding,
            body=body,
            redirects=tuple(redirects),
        )


async def _read_limited(response: httpx.Response, max_bytes: int, fields: dict[str, Any]) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("page is larger than the size limit", limit=max_bytes, **fields)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                # Stop reading: closing the response drops the connection mid-body.
                raise FetchError("page is larger than the size limit", limit=max_bytes, **fields)
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise TransientFetchError("timed out reading the page", **fields) from exc
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise TransientFetchError(f"connection failed mid-body: {exc}", **fields) from exc
    except httpx.DecodingError as exc:
        raise FetchError(f"undecodable body: {exc}", **fields) from exc
    return b"".join(chunks)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
