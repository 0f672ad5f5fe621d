"""httpx client factories for research: short-lived clients, optionally on a shared transport."""

from __future__ import annotations

from collections.abc import Callable

import httpx

__all__ = ["ClientFactory", "make_client_factory"]

ClientFactory = Callable[[], httpx.AsyncClient]
"""Build an `httpx.AsyncClient`; callers open one per host and fetch, then close it."""


class _NonClosingTransport(httpx.AsyncBaseTransport):
    """Share one injected transport between short-lived clients without closing it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        return None


def make_client_factory(transport: httpx.AsyncBaseTransport | None = None) -> ClientFactory:
    """Return a client factory; `transport` (tests, custom stacks) is shared, never closed.

    Clients ignore proxy environment variables: a proxy connects wherever it likes, which
    would defeat the SSRF guard's address pinning.
    """
    if transport is not None:
        shared = _NonClosingTransport(transport)
        return lambda: httpx.AsyncClient(transport=shared, trust_env=False)
    ssl_context = httpx.create_ssl_context()  # built once: loading CA roots is not free
    return lambda: httpx.AsyncClient(verify=ssl_context, trust_env=False)
