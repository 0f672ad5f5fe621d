"""Research from the live web: the fetcher for pages, a SERP client for searches."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from urllib.parse import urljoin

import httpx

from schemas.errors import FetchError, FetchRefusedError, TransientFetchError
from schemas.evidence import PageEvidence, SerpEvidence
from schemas.settings import Settings
from tools.research.clients import ClientFactory, make_client_factory
from tools.research.discover import (
    XML_TYPES,
    about_link,
    article_links,
    parse_sitemap,
    site_root,
)
from tools.research.extract import ExtractedPage, decode_html, extract_page
from tools.research.fetch import FetchPolicy, PageFetcher
from tools.research.serper import SerpClient, SerperClient, Sleep
from tools.research.ssrf import Resolver, SsrfGuard

__all__ = ["LiveResearchProvider", "build_live_provider"]

log = logging.getLogger(__name__)


class LiveResearchProvider:
    """A `ResearchProvider` that fetches pages and searches the web right now."""

    def __init__(
        self, fetcher: PageFetcher, serp: SerpClient | None, *, max_concurrency: int = 4
    ) -> None:
        self._fetcher = fetcher
        self._serp = serp
        self._concurrency = max_concurrency

    async def fetch_page(self, url: str) -> PageEvidence:
        """Fetch and extract one page; refusals and failures come back as `error`."""
        try:
            response = await self._fetcher.fetch(url)
        except (FetchError, TransientFetchError) as exc:
            status = exc.fields.get("status")
            content_type = exc.fields.get("content_type")
            return PageEvidence(
                url=url,
                final_url=str(exc.fields.get("url") or url),
                http_status=status if isinstance(status, int) else None,
                content_type=content_type if isinstance(content_type, str) else None,
                error=f"{exc.kind}: {exc.message}",
            )
        evidence = PageEvidence(
            url=url,
            final_url=response.final_url,
            http_status=response.status,
            content_type=response.content_type,
        )
        try:
            page = await asyncio.to_thread(
                _extract, response.body, response.charset, response.final_url
            )
        except Exception as exc:  # a third-party parser choking must not fail the job
            log.warning("extraction failed for %s", url, exc_info=True)
            return evidence.model_copy(update={"error": f"extraction failed: {exc}"})
        return evidence.model_copy(
            update={
                "title": page.title,
                "meta_description": page.meta_description,
                "h1": page.h1,
                "h2_h3": page.h2_h3,
                "main_text": page.main_text,
                "language": page.language,
                "links": page.links,
            }
        )

    async def publisher_pages(self, domain: str, limit: int = 4) -> list[PageEvidence]:
        """Return the home page, the about page and recent articles (home links or sitemap)."""
        root = site_root(domain)
        home = await self.fetch_page(root)
        if _unreachable(home) and "://" not in domain:
            # No answer over https at all (not an HTTP error): the site may be http-only.
            home = await self.fetch_page(f"http://{domain.strip().strip('/')}/")
        if not home.ok or limit <= 1:
            return [home][:limit]
        base = home.final_url or root
        about = about_link(home.links, base)
        articles = [u for u in article_links(home.links, base) if u != about]
        if len(articles) < limit - 1 - (about is not None):
            articles += [u for u in await self._sitemap_articles(base) if u not in articles]
        candidates = ([about] if about else []) + articles
        return [home, *await self._first_ok(candidates, limit - 1)]

    async def search(self, query: str, language: str) -> SerpEvidence:
        """Return the top organic results for one query."""
        if self._serp is None:
            return SerpEvidence(
                query=query,
                language=language,
                provider="none",
                error="no SERP provider configured (serper_api_key is unset)",
            )
        return await self._serp.search(query, language)

    async def _first_ok(self, candidates: Iterable[str], wanted: int) -> list[PageEvidence]:
        # Fetch in small concurrent rounds; a dead link is replaced by the next candidate.
        pending = list(candidates)[: wanted * 2]
        found: list[PageEvidence] = []
        while pending and len(found) < wanted:
            batch = pending[: min(self._concurrency, wanted - len(found))]
            pending = pending[len(batch) :]
            pages = await asyncio.gather(*(self.fetch_page(u) for u in batch))
            found += [p for p in pages if p.ok]
        return found[:wanted]

    async def _sitemap_articles(self, base: str) -> list[str]:
        sitemap_url = urljoin(base, "/sitemap.xml")
        for _ in range(2):  # a sitemap index, then its newest child sitemap
            try:
                response = await self._fetcher.fetch(sitemap_url, accept=XML_TYPES)
            except (FetchError, TransientFetchError) as exc:
                log.debug("no sitemap at %s: %s", sitemap_url, exc)
                return []
            sitemap = parse_sitemap(response.body)
            if sitemap.pages or not sitemap.sitemaps:
                return article_links(sitemap.pages, base)
            sitemap_url = sitemap.sitemaps[0]
        return []


def _extract(body: bytes, charset: str | None, url: str) -> ExtractedPage:
    return extract_page(decode_html(body, charset), url)


def _unreachable(page: PageEvidence) -> bool:
    refused = (page.error or "").startswith(FetchRefusedError.kind)
    return page.error is not None and page.http_status is None and not refused


def build_live_provider(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    client_factory: ClientFactory | None = None,
    resolver: Resolver | None = None,
    sleep: Sleep | None = None,
    policy: FetchPolicy | None = None,
) -> LiveResearchProvider:
    """Build the live provider from settings; every outside dependency can be injected.

    Args:
        settings: fetch_*, serper_* values.
        transport: an httpx transport shared by all requests (tests, custom stacks).
        client_factory: builds httpx clients; overrides `transport`.
        resolver: host name -> addresses for the SSRF guard (default: the system resolver).
        sleep: the Serper client's backoff sleep (tests inject a recorder).
        policy: fetch limits; default from settings.
    """
    factory = client_factory or make_client_factory(transport)
    guard = SsrfGuard(allow_hosts=settings.fetch_allow_hosts, resolver=resolver)
    fetcher = PageFetcher(
        guard, policy or FetchPolicy.from_settings(settings), client_factory=factory
    )
    serp: SerpClient | None = None
    if settings.serper_api_key is not None:
        serp_factory = client_factory or (
            make_client_factory(transport) if transport is not None else None
        )
        serp = SerperClient(
            settings.serper_api_key.get_secret_value(),
            base_url=settings.serper_base_url,
            client_factory=serp_factory,
            sleep=sleep,
        )
    return LiveResearchProvider(fetcher, serp)
