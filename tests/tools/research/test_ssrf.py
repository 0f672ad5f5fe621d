"""The SSRF guard: refused before any request, checked on every hop, pinned to the address."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator

import httpx
import pytest
import trustme

from schemas.errors import FetchError, FetchRefusedError
from tools.research.clients import make_client_factory
from tools.research.fetch import FetchPolicy, PageFetcher
from tools.research.live import LiveResearchProvider
from tools.research.ssrf import SsrfGuard, forbidden_reason, parse_legacy_ipv4

from .conftest import LiveFactory
from .servers import LoopbackServer, Route, StaticResolver, fixture_bytes

REFUSED = [
    ("http://localhost/", "loopback name"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://[::1]/", "loopback address ::1"),
    ("http://0.0.0.0/", "unspecified address 0.0.0.0"),
    ("http://[::]/", "unspecified address ::"),
    ("http://2130706433/", "loopback address 127.0.0.1 written in a non-standard form"),
    ("http://0x7f.0.0.1/", "loopback address 127.0.0.1 written in a non-standard form"),
    ("http://0177.0.0.1/", "loopback address 127.0.0.1 written in a non-standard form"),
    ("http://[::ffff:127.0.0.1]/", "loopback address 127.0.0.1 (embedded in IPv6"),
    ("http://[fe80::1]/", "link-local address fe80::1"),
    ("http://224.0.0.1/", "multicast address 224.0.0.1"),
    ("http://10.1.2.3/", "private address 10.1.2.3"),
    ("http://100.64.0.1/", "non-public address 100.64.0.1"),
    ("http://internal.test/", "internal.test resolves to private address 10.0.0.7"),
    ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ("gopher://example.com:70/_GET", "scheme 'gopher' is not allowed"),
    ("ftp://example.com/", "scheme 'ftp' is not allowed"),
]


class CountingTransport(httpx.AsyncBaseTransport):
    """Answers every request with a small page, counting them."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, html="<html><body>reached</body></html>")


def _counting_provider(resolver: StaticResolver, transport: CountingTransport) -> PageFetcher:
    guard = SsrfGuard(resolver=resolver)
    return PageFetcher(guard, FetchPolicy(), client_factory=make_client_factory(transport))


@pytest.mark.parametrize(("url", "reason"), REFUSED)
async def test_refused_urls_make_no_request(url: str, reason: str):
    resolver = StaticResolver({"internal.test": ["10.0.0.7"], "localhost": ["127.0.0.1"]})
    transport = CountingTransport()
    provider = LiveResearchProvider(_counting_provider(resolver, transport), None)

    page = await provider.fetch_page(url)

    assert page.error is not None
    assert page.error.startswith("fetch_refused: refused to fetch")
    assert reason in page.error
    assert transport.requests == []


async def test_refusal_carries_url_and_reason():
    with pytest.raises(FetchRefusedError) as caught:
        await SsrfGuard().check("http://169.254.169.254/latest/meta-data/")

    assert caught.value.fields == {
        "url": "http://169.254.169.254/latest/meta-data/",
        "reason": "link-local address 169.254.169.254",
    }


async def test_localhost_is_refused_without_a_dns_lookup():
    resolver = StaticResolver({"localhost": ["127.0.0.1"]})

    with pytest.raises(FetchRefusedError):
        await SsrfGuard(resolver=resolver).check("http://localhost:8080/")

    assert resolver.lookups == []


async def test_loopback_server_is_refused_without_the_allowlist(
    server: LoopbackServer, live: LiveFactory
):
    page = await live(fetch_allow_hosts=[]).fetch_page(server.url("/sv"))

    assert page.error is not None and "loopback address 127.0.0.1" in page.error
    assert server.requests == []


async def test_any_forbidden_address_in_the_answer_refuses():
    resolver = StaticResolver({"mixed.test": ["93.184.216.34", "192.168.1.10"]})

    with pytest.raises(FetchRefusedError, match=r"private address 192\.168\.1\.10"):
        await SsrfGuard(resolver=resolver).check("https://mixed.test/")


@pytest.mark.parametrize(
    "location", ["http://internal.test/admin", "http://169.254.169.254/latest/meta-data/"]
)
async def test_redirect_to_a_private_host_is_refused(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory, location: str
):
    resolver.table["internal.test"] = ["10.0.0.7"]
    server.routes["/jump"] = Route(status=302, headers={"Location": location})

    page = await live().fetch_page(server.url("/jump"))

    assert page.error is not None and page.error.startswith("fetch_refused")
    assert location in page.error
    assert server.count("/jump") == 1


async def test_connection_goes_to_the_pinned_address(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    # fixture.test exists in no real DNS: reaching the server proves the pinned address was used.
    resolver.table["fixture.test"] = ["127.0.0.1"]
    provider = live(fetch_allow_hosts=["fixture.test"])

    page = await provider.fetch_page(server.url("/sv", host="fixture.test"))

    assert page.ok, page.error
    assert page.final_url == server.url("/sv", host="fixture.test")
    assert server.requests[-1].headers["Host"] == f"fixture.test:{server.port}"
    assert server.url("/om-oss", host="fixture.test") in page.links
    assert resolver.lookups.count("fixture.test") >= 1


@pytest.fixture
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(tls_ca: trustme.CA) -> Iterator[LoopbackServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_ca.issue_cert("fixture.test").configure_cert(context)
    srv = LoopbackServer(ssl_context=context)
    srv.routes["/sv"] = Route(body=fixture_bytes("sv_article.html"))
    srv.start()
    yield srv
    srv.stop()


async def test_https_to_the_pinned_address_verifies_the_host_name(
    tls_server: LoopbackServer, tls_ca: trustme.CA, resolver: StaticResolver
):
    resolver.table.update({"fixture.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    trust = ssl.create_default_context()
    tls_ca.configure_trust(trust)
    fetcher = PageFetcher(
        SsrfGuard(allow_hosts=["fixture.test", "other.test"], resolver=resolver),
        FetchPolicy(respect_robots=False),
        client_factory=lambda: httpx.AsyncClient(verify=trust, trust_env=False),
    )
    url = f"https://fixture.test:{tls_server.port}/sv"

    response = await fetcher.fetch(url)

    assert response.status == 200 and response.final_url == url
    assert tls_server.sni_names == ["fixture.test"]
    assert tls_server.requests[-1].headers["Host"] == f"fixture.test:{tls_server.port}"
    # The same address under a name the certificate does not cover is rejected, for good.
    with pytest.raises(FetchError, match="TLS certificate rejected"):
        await fetcher.fetch(f"https://other.test:{tls_server.port}/sv")


async def test_every_redirect_hop_is_resolved_and_checked(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    resolver.table.update({"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]})
    server.host_routes[("a.test", "/start")] = Route(
        status=301, headers={"Location": server.url("/sv", host="b.test")}
    )

    page = await live(fetch_allow_hosts=["a.test", "b.test"]).fetch_page(
        server.url("/start", host="a.test")
    )

    assert page.ok
    assert "b.test" in resolver.lookups
    assert [r.host for r in server.requests if r.path != "/robots.txt"] == ["a.test", "b.test"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("1.2.3.4.5", None),
        ("4294967296", None),
        ("example", None),
    ],
)
def test_legacy_ipv4_forms(host: str, expected: str | None):
    result = parse_legacy_ipv4(host)
    assert (str(result) if result else None) == expected


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:93.184.216.34", True),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 wrapping 10.0.0.1
        ("fc00::1", False),
        ("ff02::1", False),
        ("255.255.255.255", False),
        ("240.0.0.1", False),
    ],
)
def test_forbidden_reason(address: str, allowed: bool):
    assert (forbidden_reason(ipaddress.ip_address(address)) is None) is allowed


async def test_international_names_are_resolved_in_their_ascii_form():
    resolver = StaticResolver({"xn--bcher-kva.example": ["93.184.216.34"]})

    target = await SsrfGuard(resolver=resolver).check("https://bücher.example/")

    assert resolver.lookups == ["xn--bcher-kva.example"]
    assert str(target.ip) == "93.184.216.34" and not target.host_is_ip
