"""SSRF guard: refuse URLs that would reach loopback, private or otherwise internal addresses.

The guard resolves the host once and returns the checked address; the fetcher then connects to
exactly that address (see `fetch.py`), so a DNS answer cannot change between check and connect.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import httpx

from schemas.errors import FetchError, FetchRefusedError, TransientFetchError

__all__ = [
    "IPAddress",
    "PinnedTarget",
    "Resolver",
    "SsrfGuard",
    "forbidden_reason",
    "parse_legacy_ipv4",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[Sequence[str]]]
"""Resolve a host name to IP address strings (injected so tests need no real DNS)."""

_SCHEMES = frozenset({"http", "https"})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class PinnedTarget:
    """A URL that passed the guard, with the one address the connection must go to."""

    url: httpx.URL
    host: str
    ip: IPAddress
    allowlisted: bool
    host_is_ip: bool


async def system_resolver(host: str) -> list[str]:
    """Resolve `host` with the operating system's resolver, without blocking the loop."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def parse_legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Return the address a legacy numeric host means (`2130706433`, `0x7f.1`, `0177.0.0.1`).

    These forms are what `inet_aton` and browsers accept but `ipaddress` does not; they are a
    classic way to smuggle a loopback address past a naive check.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        try:
            if part.lower().startswith("0x"):
                values.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                values.append(int(part, 8))
            else:
                values.append(int(part, 10))
        except ValueError:
            return None
    # Every part but the last is one byte; the last fills the remaining bytes.
    *head, last = values
    if any(v > 0xFF for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for value in head:
        number = number * 256 + value
    number = number * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(number)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Return why an address must not be fetched, or None for a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = forbidden_reason(embedded)
            return f"{reason} (embedded in IPv6 {ip})" if reason else None
    checks = (
        (ip.is_unspecified, "unspecified address"),
        (ip.is_loopback, "loopback address"),
        (ip.is_link_local, "link-local address"),
        (ip.is_multicast, "multicast address"),
        (ip.is_private, "private address"),
        (ip.is_reserved, "reserved address"),
        (not ip.is_global, "non-public address"),
    )
    return next((f"{label} {ip}" for hit, label in checks if hit), None)


def _refuse(url: str, reason: str) -> FetchRefusedError:
    return FetchRefusedError(f"refused to fetch {url}: {reason}", url=url, reason=reason)


class SsrfGuard:
    """Check URLs before any request: scheme, host, and every address the host resolves to."""

    def __init__(self, *, allow_hosts: Iterable[str] = (), resolver: Resolver | None = None):
        self._allow = frozenset(h.strip().lower().rstrip(".") for h in allow_hosts if h.strip())
        self._resolve = resolver or system_resolver

    async def check(self, url: str) -> PinnedTarget:
        """Return the URL pinned to a checked address.

        Raises:
            FetchRefusedError: the URL is not http(s) or reaches a forbidden address.
            FetchError: the host does not resolve.
            TransientFetchError: DNS answered "try again".
        """
        parts = self._split(url)
        host = (parts.hostname or "").rstrip(".")
        allowlisted = host in self._allow
        literal = _literal_ip(host)
        if literal is None and not allowlisted and _looks_numeric(host):
            legacy = parse_legacy_ipv4(host)
            if legacy is None:
                raise _refuse(url, f"malformed numeric host {host!r}")
            what = forbidden_reason(legacy) or f"address {legacy}"
            raise _refuse(url, f"{what} written in a non-standard form ({host})")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise _refuse(url, f"invalid URL ({exc})") from exc
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            if not allowlisted and (host == "localhost" or host.endswith(".localhost")):
                raise _refuse(url, f"{host} is a loopback name")
            # Resolve the ASCII (IDNA) form: what DNS and the TLS certificate both use.
            addresses = await self._lookup(url, parsed.raw_host.decode("ascii"))
        if not allowlisted:
            for ip in addresses:
                reason = forbidden_reason(ip)
                if reason is not None:
                    where = "" if literal is not None else f"{host} resolves to "
                    raise _refuse(url, f"{where}{reason}")
        return PinnedTarget(
            url=parsed,
            host=host,
            ip=addresses[0],
            allowlisted=allowlisted,
            host_is_ip=literal is not None,
        )

    def _split(self, url: str) -> SplitResult:
        try:
            parts = urlsplit(url.strip())
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError as exc:
            raise _refuse(url, f"invalid URL ({exc})") from exc
        if parts.scheme.lower() not in _SCHEMES:
            raise _refuse(url, f"scheme {parts.scheme or '(none)'!r} is not allowed")
        if not parts.hostname:
            raise _refuse(url, "URL has no host")
        return parts

    async def _lookup(self, url: str, host: str) -> list[IPAddress]:
        try:
            answers = await self._resolve(host)
        except socket.gaierror as exc:
            if exc.errno == socket.EAI_AGAIN:
                raise TransientFetchError(f"DNS lookup for {host} failed", url=url) from exc
            raise FetchError(f"host {host} does not resolve", url=url) from exc
        except OSError as exc:
            raise TransientFetchError(f"DNS lookup for {host} failed: {exc}", url=url) from exc
        addresses: list[IPAddress] = []
        for answer in answers:
            ip = _literal_ip(answer.split("%", 1)[0])
            if ip is None:
                raise _refuse(url, f"resolver returned a non-address {answer!r}")
            addresses.append(ip)
        if not addresses:
            raise FetchError(f"host {host} does not resolve", url=url)
        return addresses


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _looks_numeric(host: str) -> bool:
    # Host names may start with digits, but a name whose last label is numeric is an address
    # attempt (real top-level domains are never numeric).
    last = host.rsplit(".", 1)[-1].lower()
    return last.isdigit() or (last.startswith("0x") and len(last) > 2)
