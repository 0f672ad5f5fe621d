"""Job packages and article mutations for the QC tests (each mutation applies one defect)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from schemas.enums import AlignmentLevel, BridgeType, DataConfidence, Vertical
from schemas.job_package import JobPackage

Lang = Literal["sv", "en"]

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "qc"
ARTICLES = Path(__file__).with_name("articles")
_FILES = {"sv": ("job.json", "article.md"), "en": ("job_en.json", "article_en.md")}
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_WORD = re.compile(r"\w+")


def load_package(lang: Lang = "sv") -> JobPackage:
    """Return the complete example job package for a language."""
    return JobPackage.model_validate_json((EXAMPLES / _FILES[lang][0]).read_text(encoding="utf-8"))


def load_article(lang: Lang = "sv") -> str:
    """Return the compliant example article for a language."""
    return (EXAMPLES / _FILES[lang][1]).read_text(encoding="utf-8")


def crafted(name: str) -> str:
    """Return a crafted test article from tests/tools/qc/articles."""
    return (ARTICLES / name).read_text(encoding="utf-8")


def with_vertical(package: JobPackage, vertical: Vertical | None) -> JobPackage:
    """Return the package with another vertical."""
    rules = package.generation_constraints.model_copy(update={"vertical": vertical})
    return package.model_copy(update={"generation_constraints": rules})


def with_overall(package: JobPackage, overall: AlignmentLevel) -> JobPackage:
    """Return the package with another overall intent alignment."""
    intent = package.intent_extension
    assert intent is not None
    alignment = intent.intent_alignment.model_copy(update={"overall": overall})
    return package.model_copy(
        update={"intent_extension": intent.model_copy(update={"intent_alignment": alignment})}
    )


def with_bridge(package: JobPackage, bridge: BridgeType) -> JobPackage:
    """Return the package with another recommended bridge type."""
    intent = package.intent_extension
    assert intent is not None
    intent = intent.model_copy(update={"recommended_bridge_type": bridge})
    return package.model_copy(update={"intent_extension": intent})


def with_low_confidence(package: JobPackage) -> JobPackage:
    """Return the package with low data confidence from research."""
    serp = package.serp_research_extension
    assert serp is not None
    serp = serp.model_copy(update={"data_confidence": DataConfidence.low})
    return package.model_copy(update={"serp_research_extension": serp})


def target_markdown(package: JobPackage) -> str:
    """Return the target link as markdown."""
    return f"[{package.input_minimal.anchor_text}]({package.input_minimal.target_url})"


def word_count(markdown: str) -> int:
    """Return a rough word count of markdown text without link URLs."""
    return len(_WORD.findall(_LINK.sub(r"\1", markdown)))


def _paragraphs(markdown: str) -> list[str]:
    return markdown.split("\n\n")


def _plain(block: str) -> bool:
    return not block.startswith(("#", "-")) and "](" not in block


def unlink_target(markdown: str, package: JobPackage) -> str:
    """Remove the target link, keeping its text."""
    return markdown.replace(target_markdown(package), package.input_minimal.anchor_text)


def link_in_h2(markdown: str, package: JobPackage, h2_title: str) -> str:
    """Move the target link out of its paragraph into an H2 heading."""
    text = unlink_target(markdown, package)
    heading = f"## {h2_title}"
    assert heading in text
    return text.replace(heading, f"{heading}: {target_markdown(package)}", 1)


def truncate(markdown: str, words: int) -> str:
    """Drop plain paragraphs from the end until the article has about `words` words."""
    blocks = _paragraphs(markdown)
    while word_count("\n\n".join(blocks)) > words:
        index = max(i for i, b in enumerate(blocks) if _plain(b) or b.startswith("-"))
        del blocks[index]
    return "\n\n".join(blocks)


def link_anchor_times(markdown: str, package: JobPackage, times: int) -> str:
    """Link the anchor `times` times in all, one extra link in each of the last plain paragraphs."""
    blocks = _paragraphs(markdown)
    plain = [i for i, b in enumerate(blocks) if _plain(b)]
    for i in plain[-(times - 1) :]:
        blocks[i] = blocks[i] + f" Se {target_markdown(package)}."
    return "\n\n".join(blocks)


def strip_links(markdown: str, keep: str) -> str:
    """Unlink every link except those to `keep`."""
    return _LINK.sub(lambda m: m.group(0) if m.group(2) == keep else m.group(1), markdown)


def add_paragraph(markdown: str, paragraph: str, before_heading: str) -> str:
    """Insert a paragraph just before an H2 heading."""
    heading = f"## {before_heading}"
    assert heading in markdown
    return markdown.replace(heading, f"{paragraph}\n\n{heading}", 1)


def append_to_last_paragraph(markdown: str, text: str) -> str:
    """Append text to the article's last paragraph."""
    return markdown.rstrip() + " " + text + "\n"


def relink(markdown: str, source: JobPackage, target: JobPackage) -> str:
    """Point an article's target link at another job's target URL and anchor."""
    return markdown.replace(target_markdown(source), target_markdown(target))
