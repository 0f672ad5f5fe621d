"""Find a publisher's about page and recent articles among its links or in its sitemap (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

__all__ = [
    "Sitemap",
    "about_link",
    "article_links",
    "parse_sitemap",
    "same_site",
    "site_root",
]

_ABOUT_SLUGS = frozenset(
    {"about", "about-us", "aboutus", "om", "om-oss", "omoss", "om-os", "om-meg", "om-mig",
     "om-bloggen", "om-tidningen", "who-we-are", "om-sajten", "om-sidan"}
)  # fmt: skip
_NOT_ARTICLES = frozenset(
    {"tag", "tags", "category", "categories", "kategori", "kategorier", "author", "forfattare",
     "page", "sida", "search", "sok", "login", "logga-in", "wp-admin", "wp-login.php", "feed",
     "cart", "kassa", "varukorg", "kontakt", "contact", "privacy", "privacy-policy",
     "integritetspolicy", "cookies", "cookie-policy", "villkor", "terms", "annonsera",
     "advertise", "prenumerera", "subscribe", "nyhetsbrev", "newsletter"}
)  # fmt: skip
_FILE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".xml", ".rss")
XML_TYPES = frozenset({"application/xml", "text/xml", "application/x-xml"})


@dataclass(frozen=True)
class Sitemap:
    """Page URLs (most recently modified first) and nested sitemaps of one sitemap file."""

    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def site_root(domain: str) -> str:
    """Return the home page URL for a domain (`example.se`) or a base URL (`http://host:8080`)."""
    if "://" in domain:
        parts = urlsplit(domain)
        return f"{parts.scheme}://{parts.netloc}/"
    return f"https://{domain.strip().strip('/')}/"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def same_site(url: str, root: str) -> bool:
    """True when `url` is on the root's host (ignoring a leading www.)."""
    return _host(url) == _host(root) and urlsplit(url).port == urlsplit(root).port


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.lower().split("/") if s]


def about_link(links: list[str], root: str) -> str | None:
    """Return the first same-site link whose last path segment names an about page."""
    for link in links:
        segments = _segments(link)
        if same_site(link, root) and segments and segments[-1] in _ABOUT_SLUGS:
            return link
    return None


def article_links(links: list[str], root: str) -> list[str]:
    """Return same-site links that look like articles, in page order (newest first, usually).

    An article URL has a slug with at least two hyphens or a year in its path, and is not a
    listing, account or legal page.
    """
    found: list[str] = []
    for link in links:
        segments = _segments(link)
        if not same_site(link, root) or not segments or urlsplit(link).query:
            continue
        if segments[0] in _NOT_ARTICLES or segments[-1] in _ABOUT_SLUGS:
            continue
        if segments[-1].endswith(_FILE_SUFFIXES):
            continue
        dated = any(s.isdigit() and len(s) == 4 and s.startswith(("19", "20")) for s in segments)
        if (segments[-1].count("-") >= 2 or dated) and link not in found:
            found.append(link)
    return found


def parse_sitemap(body: bytes) -> Sitemap:
    """Parse a sitemap or sitemap index; entities and network access are disabled."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return Sitemap()
    if root is None:
        return Sitemap()
    dated: list[tuple[str, str]] = []
    for entry in root.iter("{*}url", "{*}sitemap"):
        loc = (entry.findtext("{*}loc") or "").strip()
        if loc:
            dated.append((entry.findtext("{*}lastmod") or "", loc))
    # ISO 8601 dates sort as text; undated entries go last, keeping file order among equals.
    dated.sort(key=lambda item: item[0], reverse=True)
    locs = [loc for _, loc in dated]
    if etree.QName(root).localname == "sitemapindex":
        return Sitemap(sitemaps=locs)
    return Sitemap(pages=locs)
