"""Write an article a section at a time by continuing a blueprint (for small base models)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from agents.chain import UsageSink
from agents.role_agent import RoleAgent, TextResult
from schemas.article import ArticleText
from schemas.job_package import JobPackage
from schemas.state import TokenUsage
from tools.blueprint import Blueprint, article_blueprint

__all__ = ["compose", "write_in_sections"]

# A continuation ends where the model starts a new heading of its own.
STOP = ["\n#"]
SECTION_TOKENS = 360  # about 250 words: a section, not an essay


def _clean(text: str) -> str:
    """Keep the section body: drop headings the model repeats, stop at its next heading."""
    lines = text.strip().splitlines()
    while lines and lines[0].lstrip().startswith("#"):
        lines.pop(0)
    return "\n".join(lines).split("\n#")[0].strip()


async def write_in_sections(
    agent: RoleAgent[ArticleText],
    variables: Mapping[str, object],
    blueprint: Blueprint,
    sink: UsageSink | None = None,
) -> TextResult:
    """Continue the title and opener, then each heading in turn; return the whole article."""
    usage: dict[str, TokenUsage] = {}
    sha = ""
    article = f"# {blueprint.title}\n\n{blueprint.opener}"
    for heading in ("", *blueprint.headings):
        prefix = article + (f"\n\n## {heading}\n\n" if heading else " ")
        result = await agent.continue_text(
            variables, prefix, stop=STOP, max_tokens=SECTION_TOKENS, sink=sink
        )
        sha = result.prompt_sha
        for key, item in result.usage.items():
            usage[key] = usage.get(key, TokenUsage()) + item
        body = _clean(result.text)
        article = prefix + body if body else prefix.rstrip()
    return TextResult(article.strip() + "\n", sha, usage)


async def compose(
    agent: RoleAgent[ArticleText],
    variables: Mapping[str, object],
    package: JobPackage,
    mode: Literal["article", "sections"],
    sink: UsageSink | None = None,
) -> TextResult:
    """Write (or rewrite) an article whole, or section by section for small base models."""
    if mode == "sections":
        return await write_in_sections(agent, variables, article_blueprint(package), sink)
    result = await agent.run(variables, sink=sink)
    return TextResult(result.output.markdown, result.prompt_sha, result.usage)
