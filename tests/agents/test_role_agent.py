"""A role agent parses tool calls and JSON text, repairs once, and fails with a typed error."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agents.prompts import PromptLoader
from agents.role_agent import RoleAgent, extract_json
from schemas.article import ArticleText
from schemas.enums import Role
from schemas.errors import LLMOutputError
from schemas.qc import QCRubric
from tests.fakes.llm import fake_chain, fake_model, text, tool_call

RUBRIC = {"items": [{"criterion": "FIT", "score": 70, "finding": "ok", "fix": "tone down"}]}


@pytest.fixture
def prompts(tmp_path: Path) -> PromptLoader:
    body = "## System\nJudge.\n\n## User\n{article}\n"
    (tmp_path / "qc_reviewer.md").write_text(body, encoding="utf-8")
    (tmp_path / "writer.md").write_text(body, encoding="utf-8")
    return PromptLoader(tmp_path)


async def test_tool_call_answer_is_parsed(prompts: PromptLoader) -> None:
    agent = RoleAgent(Role.qc_reviewer, prompts, fake_chain([tool_call(RUBRIC)]), QCRubric)
    result = await agent.run({"article": "a"})
    assert result.output.items[0].score == 70
    assert result.usage["qc_reviewer:fake"].input_tokens == 100
    assert result.prompt_sha


async def test_json_text_with_fence_is_parsed(prompts: PromptLoader) -> None:
    answer = 'Sure!\n```json\n{"items": [{"criterion": "DRAFT", "score": 90, "finding": "f", "fix": ""}]}\n```'
    agent = RoleAgent(Role.qc_reviewer, prompts, fake_chain([text(answer)]), QCRubric)
    assert (await agent.run({"article": "a"})).output.items[0].criterion == "DRAFT"


async def test_invalid_answer_is_repaired_once_with_the_error_sent_back(
    prompts: PromptLoader,
) -> None:
    bad = {"items": [{"criterion": "FIT", "score": 170, "finding": "x", "fix": ""}]}
    model = fake_model([tool_call(bad), tool_call(RUBRIC)])
    chain = fake_chain([])
    chain.endpoints[0].model = model
    agent = RoleAgent(Role.qc_reviewer, prompts, chain, QCRubric)
    result = await agent.run({"article": "a"})
    assert result.output.items[0].score == 70
    assert result.usage["qc_reviewer:fake"].calls == 2


async def test_still_invalid_after_repair_raises_typed_error(prompts: PromptLoader) -> None:
    agent = RoleAgent(
        Role.qc_reviewer, prompts, fake_chain([text("no json"), text("still none")]), QCRubric
    )
    with pytest.raises(LLMOutputError, match="after one repair"):
        await agent.run({"article": "a"})


async def test_repair_request_names_the_failing_field(prompts: PromptLoader) -> None:
    seen: list[str] = []

    class Spy:
        async def ainvoke(self, messages: list, **_: object) -> AIMessage:
            seen.append(str(messages[-1].content) if isinstance(messages[-1], HumanMessage) else "")
            if len(seen) == 1:
                return AIMessage(content='{"items": [{"criterion": "FIT", "score": 500}]}')
            return tool_call(RUBRIC)

    chain = fake_chain([])
    chain.endpoints[0].model = Spy()  # type: ignore[assignment]
    agent = RoleAgent(Role.qc_reviewer, prompts, chain, QCRubric)
    await agent.run({"article": "a"})
    assert "items.0.score" in seen[1]


async def test_markdown_mode_validates_the_article(prompts: PromptLoader) -> None:
    agent = RoleAgent(
        Role.writer,
        prompts,
        fake_chain(
            [text("An intro sentence, no title at all."), text("```markdown\n# Title\n\nBody\n```")]
        ),
        ArticleText,
        "markdown",
    )
    result = await agent.run({"article": "a"})
    assert result.output.markdown.startswith("# Title")


def test_extract_json_rejects_text_without_object() -> None:
    with pytest.raises(ValueError):
        extract_json("nothing here")
