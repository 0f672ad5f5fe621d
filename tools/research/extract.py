"""Turn an HTML body into the fields of `PageEvidence` (pure, CPU-bound: run it in a thread).

Parsing is lxml via trafilatura (which also extracts the main text); language comes from
py3langid on the main text, falling back to the page's declared `<html lang>`.
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

import py3langid
import trafilatura
from trafilatura.utils import load_html

__all__ = ["ExtractedPage", "decode_html", "extract_page"]

_MAX_HEADINGS = 15
_MAX_LINKS = 200
_MAX_TEXT_CHARS = 30_000
_MIN_TEXT_FOR_DETECTION = 200
_LANGUAGE_ALIASES = {"nb": "no", "nn": "no"}
# py3langid loads its model on first use without a lock; concurrent first calls from worker
# threads would each load it.
_LANGID_LOCK = threading.Lock()


@dataclass(frozen=True)
class ExtractedPage:
    title: str = ""
    meta_description: str = ""
    h1: str = ""
    h2_h3: list[str] = field(default_factory=list)
    main_text: str = ""
    language: str | None = None
    links: list[str] = field(default_factory=list)


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode an HTML body: BOM, then the HTTP charset, then `<meta charset>`, then UTF-8."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    for candidate in (header_charset, _meta_charset(body)):
        known = _known_codec(candidate)
        if known is not None:
            return body.decode(known, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        # Undeclared legacy pages (Swedish ones included) are nearly always Windows-1252.
        return body.decode("cp1252", errors="replace")


def extract_page(html: str, url: str) -> ExtractedPage:
    """Extract title, description, headings, main text, language and links from `html`."""
    tree = load_html(html)
    if tree is None:
        return ExtractedPage()
    title = _text(tree.find(".//title")) or _meta(tree, "og:title")
    h1 = next((_text(h) for h in tree.iter("h1") if _text(h)), "")
    headings = [t for h in tree.iter("h2", "h3") if (t := _text(h))][:_MAX_HEADINGS]
    main_text = _main_text(html, url)
    return ExtractedPage(
        title=title,
        meta_description=_meta(tree, "description") or _meta(tree, "og:description"),
        h1=h1,
        h2_h3=headings,
        main_text=main_text,
        language=_language(main_text, tree.get("lang") or tree.get("xml:lang")),
        links=_links(tree, url),
    )


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _meta_charset(body: bytes) -> str | None:
    # The HTML spec's prescan looks at the first 1024 bytes; ASCII-compatible is enough here.
    head = load_html(body[:2048].decode("ascii", errors="replace"))
    if head is None:
        return None
    for meta in head.iter("meta"):
        if meta.get("charset"):
            return str(meta.get("charset"))
        if (meta.get("http-equiv") or "").lower() == "content-type":
            for param in (meta.get("content") or "").split(";")[1:]:
                key, _, value = param.partition("=")
                if key.strip().lower() == "charset":
                    return value.strip()
    return None


def _text(element: Any) -> str:
    if element is None:
        return ""
    return " ".join(element.text_content().split())


def _meta(tree: Any, name: str) -> str:
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key == name and meta.get("content"):
            return " ".join(str(meta.get("content")).split())
    return ""


def _main_text(html: str, url: str) -> str:
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, favor_recall=True
    )
    if not text:
        # Short pages fall under trafilatura's minimum size; the baseline still finds the text.
        _, text, _ = trafilatura.baseline(html)
    return (text or "").strip()[:_MAX_TEXT_CHARS]


def _language(text: str, declared: str | None) -> str | None:
    if len(text) >= _MIN_TEXT_FOR_DETECTION:
        with _LANGID_LOCK:
            detected, _ = py3langid.classify(text)
        return _LANGUAGE_ALIASES.get(detected, detected)
    if declared:
        primary = declared.strip().split("-")[0].split("_")[0].lower()
        return _LANGUAGE_ALIASES.get(primary, primary) or None
    return None


def _links(tree: Any, url: str) -> list[str]:
    tree.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    links: list[str] = []
    seen: set[str] = set()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if urlsplit(href).scheme not in ("http", "https"):
            continue
        href = urldefrag(href).url
        if href not in seen:
            seen.add(href)
            links.append(href)
            if len(links) >= _MAX_LINKS:
                break
    return links
