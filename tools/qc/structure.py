"""Parse article markdown into sections, blocks, sentences and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from schemas.metrics import LinkLocation
from tools.qc.text import split_sentences, words

__all__ = ["Block", "Document", "Heading", "Link", "Section", "parse_document"]

BlockKind = Literal["paragraph", "list_item"]
_HEADING_LOCATION: dict[int, LinkLocation] = {1: "h1", 2: "h2", 3: "h3"}


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    location: LinkLocation
    section_index: int
    paragraph_index: int | None
    offset: int
    span: tuple[int, int] = (0, 0)  # position of the link text in its block's plain text


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    section_index: int


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    section_index: int
    paragraph_index: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    links: tuple[Link, ...]

    def sentence_texts(self) -> list[str]:
        """Return the sentences of the block as strings."""
        return [self.text[a:b] for a, b in self.sentences]

    def sentence_at(self, offset: int) -> int:
        """Return the index of the sentence holding a plain-text offset."""
        for i, (start, end) in enumerate(self.sentences):
            if start <= offset < end or (i == len(self.sentences) - 1 and offset >= start):
                return i
        return 0


@dataclass
class Section:
    index: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the plain text of the section's blocks."""
        return "\n".join(b.text for b in self.blocks)


@dataclass
class Document:
    source: str
    sections: list[Section]
    headings: list[Heading]
    links: list[Link]

    @property
    def title(self) -> str | None:
        """Return the first H1's text."""
        return next((h.text for h in self.headings if h.level == 1), None)

    @property
    def blocks(self) -> list[Block]:
        """Return every body block in document order."""
        return [b for s in self.sections for b in s.blocks]

    @cached_property
    def body_text(self) -> str:
        """Return the plain text of all body blocks."""
        return "\n".join(b.text for b in self.blocks)

    @cached_property
    def word_count(self) -> int:
        """Return the words in headings (H1 excluded) and body, URLs excluded."""
        heads = " ".join(h.text for h in self.headings if h.level > 1)
        return len(words(heads)) + len(words(self.body_text))

    def is_middle(self, section_index: int) -> bool:
        """Return True for H2 sections other than the last one."""
        return 0 < section_index < len(self.sections) - 1


def _inline_text(token: Token) -> tuple[str, list[tuple[str, str, tuple[int, int]]]]:
    """Return an inline token's plain text and its links as (text, href, span)."""
    parts: list[str] = []
    links: list[tuple[str, str, tuple[int, int]]] = []
    open_href: str | None = None
    link_start = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            open_href = str(child.attrs.get("href", ""))
            link_start = sum(map(len, parts))
        elif child.type == "link_close" and open_href is not None:
            end = sum(map(len, parts))
            links.append(("".join(parts)[link_start:end], open_href, (link_start, end)))
            open_href = None
    return "".join(parts), links


class _Builder:
    def __init__(self, source: str, md: MarkdownIt) -> None:
        self.source = source
        self.md = md
        lines = source.splitlines(keepends=True)
        self.line_starts = [0]
        for line in lines:
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.sections = [Section(index=0, title="")]
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.cursor = 0

    def _offset(self, token: Token, href: str) -> int:
        start = self.line_starts[token.map[0]] if token.map else self.cursor
        start = max(start, self.cursor)
        pos = -1
        for candidate in (href, self.md.normalizeLinkText(href)):
            pos = self.source.find(candidate, start)
            if pos >= 0:
                break
        if pos < 0:
            return start
        self.cursor = pos + 1
        bracket = self.source.rfind("[", start, pos)
        return bracket if bracket >= 0 else pos

    def heading(self, level: int, inline: Token) -> None:
        text, links = _inline_text(inline)
        if level == 2:
            self.sections.append(Section(index=len(self.sections), title=text.strip()))
        section = self.sections[-1]
        if level == 1 and section.index == 0 and not section.title:
            section.title = text.strip()
        heading = Heading(level=level, text=text.strip(), section_index=section.index)
        self.headings.append(heading)
        section.headings.append(heading)
        location = _HEADING_LOCATION.get(level, "heading")
        for link_text, href, span in links:
            offset = self._offset(inline, href)
            self.links.append(Link(link_text, href, location, section.index, None, offset, span))

    def block(self, kind: BlockKind, inline: Token) -> None:
        text, found = _inline_text(inline)
        section = self.sections[-1]
        index = len(section.blocks)
        links = tuple(
            Link(t, href, kind, section.index, index, self._offset(inline, href), span)
            for t, href, span in found
        )
        self.links.extend(links)
        spans = tuple(split_sentences(text))
        section.blocks.append(Block(kind, section.index, index, text, spans, links))

    def other(self, inline: Token) -> None:
        _, found = _inline_text(inline)
        for t, href, span in found:
            offset = self._offset(inline, href)
            self.links.append(Link(t, href, "other", self.sections[-1].index, None, offset, span))


def parse_document(markdown: str) -> Document:
    """Parse article markdown into a document model."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(markdown)
    builder = _Builder(markdown, md)
    list_depth = 0
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline":
            opener = tokens[i - 1] if i else None
            if opener is not None and opener.type == "heading_open":
                builder.heading(int(opener.tag[1:]), token)
            elif opener is not None and opener.type == "paragraph_open":
                builder.block("list_item" if list_depth else "paragraph", token)
            else:
                builder.other(token)
    return Document(markdown, builder.sections, builder.headings, builder.links)
