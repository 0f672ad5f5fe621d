"""Publisher pages: home, about and recent articles found through links or the sitemap."""

from __future__ import annotations

from .conftest import LiveFactory
from .servers import ARTICLE_PATHS, LoopbackServer, Route, StaticResolver, add_publisher

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://blog.test:{port}/artiklar/aldre-text-om-tak-och-takpannor</loc>
       <lastmod>2023-01-10</lastmod></url>
  <url><loc>http://blog.test:{port}/artiklar/nyaste-texten-om-solceller</loc>
       <lastmod>2024-06-01</lastmod></url>
  <url><loc>http://blog.test:{port}/om-oss</loc></url>
</urlset>
"""


async def test_home_about_and_articles_from_home_links(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    resolver.table["pub.test"] = ["127.0.0.1"]
    add_publisher(server, "pub.test")
    provider = live(fetch_allow_hosts=["pub.test"])

    pages = await provider.publisher_pages(f"http://pub.test:{server.port}", limit=4)

    paths = [p.url.removeprefix(f"http://pub.test:{server.port}") for p in pages]
    assert paths == ["/", "/om-oss", *ARTICLE_PATHS[:2]]
    assert all(p.ok for p in pages)
    assert pages[0].language == "sv"
    assert server.count("/kategori/tradgard") == 0
    assert server.count("/sitemap.xml") == 0  # the home page had enough article links


async def test_dead_article_is_replaced_by_the_next_candidate(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    resolver.table["pub.test"] = ["127.0.0.1"]
    add_publisher(server, "pub.test")
    server.host_routes[("pub.test", ARTICLE_PATHS[0])] = Route(status=404)

    pages = await live(fetch_allow_hosts=["pub.test"]).publisher_pages(
        f"http://pub.test:{server.port}", limit=4
    )

    assert [p.url.rsplit("/", 1)[-1] for p in pages[2:]] == [
        ARTICLE_PATHS[1].rsplit("/", 1)[-1],
        ARTICLE_PATHS[2].rsplit("/", 1)[-1],
    ]


async def test_articles_from_the_sitemap_newest_first(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    resolver.table["blog.test"] = ["127.0.0.1"]
    server.host_routes[("blog.test", "/")] = Route(body=server_about_home())
    server.host_routes[("blog.test", "/sitemap.xml")] = Route(
        body=SITEMAP.replace(b"{port}", str(server.port).encode()), content_type="application/xml"
    )
    for slug in ("aldre-text-om-tak-och-takpannor", "nyaste-texten-om-solceller"):
        server.host_routes[("blog.test", f"/artiklar/{slug}")] = Route(
            body=server.host_routes[("blog.test", "/")].body
        )

    pages = await live(fetch_allow_hosts=["blog.test"]).publisher_pages(
        f"http://blog.test:{server.port}", limit=3
    )

    assert [p.url.rsplit("/", 1)[-1] for p in pages] == [
        "",
        "nyaste-texten-om-solceller",
        "aldre-text-om-tak-och-takpannor",
    ]


async def test_unreachable_home_is_returned_as_evidence(
    server: LoopbackServer, resolver: StaticResolver, live: LiveFactory
):
    resolver.table["gone.test"] = ["127.0.0.1"]

    pages = await live(fetch_allow_hosts=["gone.test"]).publisher_pages(
        f"http://gone.test:{server.port}"
    )

    assert len(pages) == 1
    assert pages[0].http_status == 404 and pages[0].error is not None


def server_about_home() -> bytes:
    """A home page with text but no article-like links."""
    text = " ".join(["Villaliv skriver om hus, trädgård och energi för villaägare."] * 8)
    return (
        f'<html lang="sv"><head><meta charset="utf-8"><title>Blogg</title></head>'
        f'<body><a href="/kontakt">Kontakt</a><p>{text}</p></body></html>'
    ).encode()
