"""Next-A1 §11 autofixes that need no sign-off, applied to every draft (pure functions).

- the one paid link: unlinked from headings, kept once in the body, and placed in paragraph 1
  of the first middle section when the writer dropped it (linking the anchor phrase where the
  text already has it, else one short sentence that carries it);
- the vertical's disclaimer: appended to the closing section when it is missing;
- links the job did not ask for (neither the target nor a known trust source): unlinked,
  their text kept, so an invented or injected link never reaches the publisher.
Each fix is named in the returned list, so the article records what code changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from schemas.enums import Language

__all__ = ["AutofixResult", "append_disclaimer", "fix_target_link", "unlink_unrequested"]

_ANY_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")

_CARRIER = {
    Language.sv: "Mer om {link} finns att läsa här.",
    Language.en: "You can read more about {link} here.",
    Language.no: "Mer om {link} kan du lese her.",
    Language.da: "Mere om {link} kan du læse her.",
}


@dataclass(frozen=True)
class AutofixResult:
    markdown: str
    fixes: list[str]


def _link_pattern(url: str) -> re.Pattern[str]:
    bare = re.escape(url.rstrip("/"))
    return re.compile(r"\[([^\]\n]+)\]\(\s*<?" + bare + r"/?>?(?:\s+\"[^\"]*\")?\s*\)")


def _blocks(markdown: str) -> list[tuple[str, int, int, str]]:
    """Return (kind, first line, end line, tag) of headings and paragraphs, in order."""
    out = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.map is None:
            continue
        if token.type == "heading_open":
            out.append(("heading", token.map[0], token.map[1], token.tag))
        elif token.type == "paragraph_open" and token.level == 0:
            out.append(("paragraph", token.map[0], token.map[1], ""))
    return out


def _placement_paragraph(blocks: list[tuple[str, int, int, str]]) -> tuple[int, int] | None:
    h2 = [i for i, b in enumerate(blocks) if b[0] == "heading" and b[3] == "h2"]
    # The first middle section: after the intro, and not the last section when there are two.
    start = h2[0] if h2 else 0
    for kind, first, end, _ in blocks[start:]:
        if kind == "paragraph":
            return first, end
    return None


def fix_target_link(markdown: str, anchor: str, url: str, language: Language) -> AutofixResult:
    """Make the article carry exactly one [anchor](url) link, in the body, never in a heading."""
    lines = markdown.split("\n")
    pattern = _link_pattern(url)
    fixes: list[str] = []
    blocks = _blocks(markdown)
    kept = False
    for kind, first, end, _ in blocks:
        for n in range(first, end):
            if kind == "heading" and pattern.search(lines[n]):
                lines[n] = pattern.sub(r"\1", lines[n])
                fixes.append("unlinked the target link from a heading")
            elif kind == "paragraph":

                def keep_first(match: re.Match[str]) -> str:
                    nonlocal kept
                    if not kept:
                        kept = True
                        return match.group(0)
                    fixes.append("removed a repeated target link")
                    return match.group(1)

                lines[n] = pattern.sub(keep_first, lines[n])
    if not kept:
        spot = _placement_paragraph(_blocks("\n".join(lines)))
        link = f"[{anchor}]({url})"
        if spot is None:
            lines.append("")
            lines.append(_CARRIER[language].format(link=link))
        else:
            first, end = spot
            phrase = re.compile(re.escape(anchor), re.IGNORECASE)
            for n in range(first, end):
                if phrase.search(lines[n]):
                    lines[n] = phrase.sub(link, lines[n], count=1)
                    break
            else:
                lines[end - 1] = (
                    lines[end - 1].rstrip() + " " + _CARRIER[language].format(link=link)
                )
        fixes.append("placed the missing target link in the first middle section")
    return AutofixResult("\n".join(lines), list(dict.fromkeys(fixes)))


def append_disclaimer(markdown: str, disclaimer: str) -> AutofixResult:
    """Append the vertical's disclaimer as the closing paragraph."""
    if not disclaimer:
        return AutofixResult(markdown, [])
    text = markdown.rstrip() + "\n\n" + disclaimer + "\n"
    return AutofixResult(text, ["inserted the vertical disclaimer"])


def unlink_unrequested(
    markdown: str, target_url: str, allowed: Callable[[str], bool]
) -> AutofixResult:
    """Replace links to anything but the target or an `allowed` URL with their text."""
    removed: list[str] = []
    target = target_url.rstrip("/")

    def keep_or_unlink(match: re.Match[str]) -> str:
        url = match.group(2)
        if url.rstrip("/") == target or allowed(url):
            return match.group(0)
        removed.append(url)
        return match.group(1)

    text = _ANY_LINK.sub(keep_or_unlink, markdown)
    fixes = [f"unlinked {len(removed)} link(s) the job did not ask for"] if removed else []
    return AutofixResult(text, fixes)
