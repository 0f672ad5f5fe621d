"""The prompt loader: rendering, placeholder checks, hashing, edits without restart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agents.prompts import PromptLoader, placeholders_of
from nodes._brief import article_brief
from nodes.intent_sentinel import sentinel_variables
from schemas.enums import Role
from schemas.errors import PromptError
from schemas.settings import default_prompts_dir
from tests.fakes.factories import package

PROMPT = (
    "# t\n\n## System\nYou write {language}.\n\n## User\nLink {anchor_text}; keep {{braces}}.\n"
)


@pytest.fixture
def prompts_dir(tmp_path: Path) -> Path:
    (tmp_path / "writer.md").write_text(PROMPT, encoding="utf-8")
    return tmp_path


def test_render_fills_placeholders_and_keeps_literal_braces(prompts_dir: Path) -> None:
    out = PromptLoader(prompts_dir).render(Role.writer, {"language": "sv", "anchor_text": "x"})
    assert out.system == "You write sv."
    assert out.user == "Link x; keep {braces}."
    assert len(out.sha) == 12


def test_missing_variable_fails_loudly(prompts_dir: Path) -> None:
    with pytest.raises(PromptError, match=r"unknown placeholders \['anchor_text'\]"):
        PromptLoader(prompts_dir).render(Role.writer, {"language": "sv"})


def test_unused_variable_fails_loudly(prompts_dir: Path) -> None:
    with pytest.raises(PromptError, match=r"never uses \['extra'\]"):
        PromptLoader(prompts_dir).render(
            Role.writer, {"language": "sv", "anchor_text": "x", "extra": "y"}
        )


def test_missing_file_and_missing_sections_fail(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="missing"):
        PromptLoader(tmp_path).render(Role.writer, {})
    (tmp_path / "writer.md").write_text("no sections here", encoding="utf-8")
    with pytest.raises(PromptError, match="## System"):
        PromptLoader(tmp_path).render(Role.writer, {})


def test_edited_file_is_used_on_next_render_with_new_hash(prompts_dir: Path) -> None:
    loader = PromptLoader(prompts_dir)
    variables = {"language": "sv", "anchor_text": "x"}
    first = loader.render(Role.writer, variables)
    (prompts_dir / "writer.md").write_text(PROMPT.replace("You write", "Du skriver"), "utf-8")
    second = loader.render(Role.writer, variables)
    assert second.system == "Du skriver sv."
    assert second.sha != first.sha


def test_placeholders_must_be_plain_names() -> None:
    with pytest.raises(PromptError):
        placeholders_of("{a.b}")


def test_shipped_prompts_match_what_their_nodes_supply(tmp_path: Path) -> None:
    loader = PromptLoader(default_prompts_dir())
    brief = set(article_brief(package()))
    loader.check(Role.writer, brief)
    loader.check(Role.reviser, brief | {"article", "fixes", "reviewer_notes"})
    loader.check(Role.intent_sentinel, set(sentinel_variables(package())))
    researcher = {"publisher_domain", "target_url", "anchor_text", "language", "queries"}
    loader.check(Role.researcher, researcher | {"evidence"})
    qc = {"article", "language", "voice", "audience", "angle", "serp_intent"}
    loader.check(Role.qc_reviewer, qc)


def test_operator_copy_of_prompts_is_used(tmp_path: Path) -> None:
    shutil.copytree(default_prompts_dir(), tmp_path / "p", ignore=shutil.ignore_patterns("*.py"))
    target = tmp_path / "p" / "qc_reviewer.md"
    target.write_text(target.read_text("utf-8").replace("Be strict", "Be very strict"), "utf-8")
    qc = {"article": "a", "language": "sv", "voice": "v", "audience": "a", "angle": "x"}
    out = PromptLoader(tmp_path / "p").render(Role.qc_reviewer, {**qc, "serp_intent": "i"})
    assert "Be very strict" in out.system
