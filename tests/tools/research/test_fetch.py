"""Page fetching against a real loopback server: redirects, errors, limits, robots, extraction."""

from __future__ import annotations

import pytest

from schemas.errors import FetchError
from tools.research.fetch import FetchPolicy, PageFetcher
from tools.research.ssrf import SsrfGuard

from .conftest import LiveFactory
from .servers import FIXTURES, LoopbackServer, Route

FIFTY_MB = 50 * 1024 * 1024


async def test_redirects_are_followed_hop_by_hop(server: LoopbackServer, live: LiveFactory):
    server.routes["/r1"] = Route(status=301, headers={"Location": "/r2"})
    server.routes["/r2"] = Route(status=302, headers={"Location": server.url("/sv")})

    page = await live().fetch_page(server.url("/r1"))

    assert page.ok, page.error
    assert page.url == server.url("/r1")
    assert page.final_url == server.url("/sv")
    assert [server.count(p) for p in ("/r1", "/r2", "/sv")] == [1, 1, 1]


async def test_redirect_chain_is_limited(server: LoopbackServer, live: LiveFactory):
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})

    page = await live(fetch_max_redirects=3).fetch_page(server.url("/loop"))

    assert page.error is not None and "too many redirects" in page.error
    assert server.count("/loop") == 4  # the first request and three followed hops


@pytest.mark.parametrize(("status", "kind"), [(404, "fetch"), (500, "fetch_transient")])
async def test_http_errors_become_evidence(
    server: LoopbackServer, live: LiveFactory, status: int, kind: str
):
    server.routes["/err"] = Route(status=status, body=b"<html><body>oops</body></html>")

    page = await live().fetch_page(server.url("/err"))

    assert page.http_status == status
    assert page.error == f"{kind}: server answered HTTP {status}"
    assert not page.ok


@pytest.mark.parametrize("declare_length", [True, False])
async def test_huge_body_is_aborted_at_the_limit(
    server: LoopbackServer, live: LiveFactory, declare_length: bool
):
    server.routes["/huge"] = Route(stream_bytes=FIFTY_MB, declare_length=declare_length)

    page = await live(fetch_max_bytes=256 * 1024).fetch_page(server.url("/huge"))

    assert page.error is not None and "larger than the size limit" in page.error
    assert page.http_status == 200
    assert server.stream_done.wait(timeout=10)
    # Socket buffers let a few MB through before the server notices; never the whole 50 MB.
    assert server.bytes_sent["/huge"] < FIFTY_MB // 4


async def test_non_html_body_is_refused_without_reading_it(
    server: LoopbackServer, live: LiveFactory
):
    server.routes["/doc.pdf"] = Route(body=b"%PDF-1.7 ...", content_type="application/pdf")

    page = await live().fetch_page(server.url("/doc.pdf"))

    assert page.error == "fetch: not an HTML page (application/pdf)"
    assert page.http_status == 200
    assert page.content_type == "application/pdf"


async def test_slow_server_times_out(server: LoopbackServer, live: LiveFactory):
    server.routes["/slow"] = Route(slow=True, body=b"<html></html>")

    page = await live(fetch_read_timeout_s=0.2).fetch_page(server.url("/slow"))

    assert page.error is not None and "timed out" in page.error
    assert page.error.startswith("fetch_transient")
    assert page.http_status is None


async def test_robots_txt_disallow_is_respected(server: LoopbackServer, live: LiveFactory):
    server.routes["/robots.txt"] = Route(
        body=b"User-agent: *\nDisallow: /private\n", content_type="text/plain"
    )
    server.routes["/private/page"] = Route(body=b"<html><body>secret</body></html>")
    provider = live()

    refused = await provider.fetch_page(server.url("/private/page"))
    allowed = await provider.fetch_page(server.url("/sv"))

    assert refused.error == "fetch: robots.txt disallows fetching this URL"
    assert server.count("/private/page") == 0
    assert allowed.ok
    assert server.count("/robots.txt") == 1  # cached per host


async def test_robots_txt_can_be_ignored_by_setting(server: LoopbackServer, live: LiveFactory):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n", content_type=None)

    page = await live(fetch_respect_robots=False).fetch_page(server.url("/sv"))

    assert page.ok
    assert server.count("/robots.txt") == 0


async def test_user_agent_is_honest(server: LoopbackServer, live: LiveFactory):
    await live(fetch_user_agent="bacowr-test/1.0 (+https://example.org)").fetch_page(
        server.url("/sv")
    )

    assert server.requests[-1].headers["User-Agent"] == "bacowr-test/1.0 (+https://example.org)"


async def test_swedish_page_is_extracted(server: LoopbackServer, live: LiveFactory):
    page = await live().fetch_page(server.url("/sv"))

    assert page.ok
    assert page.title == "Laddbox för villa – så väljer du rätt | Villaliv"
    assert page.meta_description.startswith("Guide till laddbox hemma")
    assert page.h1 == "Laddbox för villa – så väljer du rätt"
    assert page.h2_h3 == [
        "Vilken effekt behöver du?",
        "Lastbalansering",
        "Installation och kostnad",
        "Grön teknik-avdraget",
    ]
    assert "lastbalansering fördela strömmen" in page.main_text
    assert page.language == "sv"
    assert server.url("/om-oss") in page.links
    assert server.url("/artiklar/sa-fungerar-gron-teknik-avdraget") in page.links
    assert "https://www.elbolaget.example/laddbox" in page.links
    assert not any(link.startswith("mailto:") for link in page.links)


async def test_english_page_is_extracted(server: LoopbackServer, live: LiveFactory):
    page = await live().fetch_page(server.url("/en"))

    assert page.ok
    assert page.title == "How to choose a home EV charger - Charging Weekly"
    assert page.meta_description == (
        "A practical guide to home EV chargers: power, installation and cost."
    )
    assert page.h1 == "How to choose a home EV charger"
    assert page.h2_h3[:2] == ["How much power do you need?", "Load balancing"]
    assert "Dynamic load balancing measures" in page.main_text
    assert page.language == "en"
    assert "https://charging.example/guides/best-smart-chargers-2024" in page.links


async def test_legacy_charset_from_meta_is_honoured(server: LoopbackServer, live: LiveFactory):
    html = (FIXTURES / "sv_article.html").read_text(encoding="utf-8")
    html = html.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    server.routes["/cp1252"] = Route(body=html.encode("cp1252"), content_type="text/html")

    page = await live().fetch_page(server.url("/cp1252"))

    assert page.h1 == "Laddbox för villa – så väljer du rätt"
    assert page.language == "sv"


async def test_header_charset_wins_over_a_wrong_meta(server: LoopbackServer, live: LiveFactory):
    # The page claims UTF-8 but is really Windows-1252, as the HTTP header says.
    body = (FIXTURES / "sv_article.html").read_text(encoding="utf-8").encode("cp1252")
    server.routes["/hdr"] = Route(body=body, content_type="text/html; charset=windows-1252")

    page = await live().fetch_page(server.url("/hdr"))

    assert page.title.startswith("Laddbox för villa")


async def test_fetcher_raises_typed_errors(server: LoopbackServer):
    fetcher = PageFetcher(SsrfGuard(allow_hosts=["127.0.0.1"]), FetchPolicy())

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/missing"))

    assert caught.value.fields["status"] == 404
    assert caught.value.fields["url"] == server.url("/missing")


async def test_unreachable_robots_txt_blocks_the_page(server: LoopbackServer, live: LiveFactory):
    server.routes["/robots.txt"] = Route(status=503, content_type="text/plain")

    page = await live().fetch_page(server.url("/sv"))

    assert page.error == "fetch_transient: robots.txt is unreachable (server answered HTTP 503)"
    assert page.http_status is None
    assert server.count("/sv") == 0
