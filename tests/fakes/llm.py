"""Scripted fake chat models, one per role, whose structured answers are tool calls."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import BaseModel

from agents.chain import ModelChain, ModelEndpoint, RetrySettings
from schemas.enums import Role

_ids = itertools.count(1)

Answer = BaseModel | str | AIMessage | Exception


def tool_call(model: BaseModel | Mapping[str, Any], name: str | None = None) -> AIMessage:
    """Return an AIMessage that answers with a tool call carrying `model` as arguments."""
    args = model.model_dump(mode="json") if isinstance(model, BaseModel) else dict(model)
    tool = name or (type(model).__name__ if isinstance(model, BaseModel) else "answer")
    return AIMessage(
        content="",
        tool_calls=[{"name": tool, "args": args, "id": f"call_{next(_ids)}"}],
        usage_metadata={"input_tokens": 100, "output_tokens": 50, "total_tokens": 150},
    )


def text(content: str) -> AIMessage:
    """Return a plain-text answer with usage."""
    return AIMessage(
        content=content,
        usage_metadata={"input_tokens": 200, "output_tokens": 400, "total_tokens": 600},
    )


class RaisingFakeChatModel(GenericFakeChatModel):
    """A fake whose script may hold exceptions: they are raised in turn."""

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        result = super()._generate(*args, **kwargs)
        message = result.generations[0].message
        error = message.additional_kwargs.get("raise")
        if error is not None:
            raise error
        return result


def _as_message(answer: Answer) -> AIMessage:
    if isinstance(answer, AIMessage):
        return answer
    if isinstance(answer, Exception):
        return AIMessage(content="", additional_kwargs={"raise": answer})
    if isinstance(answer, BaseModel):
        return tool_call(answer)
    return text(answer)


def fake_model(answers: Iterable[Answer]) -> RaisingFakeChatModel:
    """Return a fake chat model that answers from a script and fails when it runs out."""
    return RaisingFakeChatModel(messages=iter([_as_message(a) for a in answers]))


def fake_chain(answers: Iterable[Answer], name: str = "fake") -> ModelChain:
    """Return a one-endpoint chain over a scripted fake (no sleeping between retries)."""

    async def no_sleep(_: float) -> None:
        return None

    return ModelChain(
        [ModelEndpoint(name=name, model=fake_model(answers))],
        retry=RetrySettings(attempts=1),
        sleep=no_sleep,
    )


def fake_chains(scripts: Mapping[Role, Iterable[Answer]]) -> dict[Role, ModelChain]:
    """Return one scripted chain per role; roles without a script get an empty one."""
    return {role: fake_chain(scripts.get(role, [])) for role in Role}
