"""A role = prompt file + model chain + pydantic output schema, with one repair round."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from agents.chain import ModelChain, ModelEndpoint, UsageSink
from agents.prompts import PromptLoader
from schemas.enums import Role
from schemas.errors import LLMOutputError
from schemas.state import TokenUsage

__all__ = ["AgentResult", "RoleAgent", "TextResult", "extract_json"]

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|markdown|md)?\s*(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class AgentResult(Generic[T]):
    output: T
    prompt_sha: str
    usage: dict[str, TokenUsage] = field(default_factory=dict)


@dataclass(frozen=True)
class TextResult:
    text: str
    prompt_sha: str
    usage: dict[str, TokenUsage] = field(default_factory=dict)


def extract_json(text: str) -> Any:
    """Parse the JSON object in a model's answer, tolerating fences and chatter around it."""
    fenced = _FENCE.search(text)
    candidate = fenced.group(1) if fenced else text
    start = candidate.find("{")
    end = candidate.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("the answer holds no JSON object")
    return json.loads(candidate[start : end + 1])


def _response_format(schema: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema()},
    }


class RoleAgent(Generic[T]):
    """Render a role's prompt, call its model chain, and parse the answer into `output`.

    `mode="json"`: the answer is a JSON object (tool-call arguments are accepted too).
    `mode="markdown"`: the answer is text validated as `output(markdown=...)`.
    An answer that fails validation is sent back once with the validation error.
    """

    def __init__(
        self,
        role: Role,
        prompts: PromptLoader,
        chain: ModelChain,
        output: type[T],
        mode: Literal["json", "markdown"] = "json",
    ) -> None:
        self.role = role
        self.prompts = prompts
        self.chain = chain
        self.output = output
        self.mode = mode

    def _bind(self, endpoint: ModelEndpoint) -> Any:
        if self.mode != "json" or endpoint.structured is None:
            return endpoint.model
        extra = endpoint.json_kwargs
        if endpoint.structured == "json_schema":
            return endpoint.model.bind(response_format=_response_format(self.output), **extra)
        if endpoint.structured == "json_object":
            return endpoint.model.bind(response_format={"type": "json_object"}, **extra)
        return endpoint.model.bind_tools([self.output], tool_choice=self.output.__name__)

    def _parse(self, message: AIMessage) -> T:
        if self.mode == "markdown":
            return self.output.model_validate({"markdown": str(message.content)})
        if message.tool_calls:
            return self.output.model_validate(message.tool_calls[0]["args"])
        try:
            data = extract_json(str(message.content))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise _Unparseable(str(exc)) from exc
        return self.output.model_validate(data)

    async def run(
        self, variables: Mapping[str, object], sink: UsageSink | None = None
    ) -> AgentResult[T]:
        """Return the parsed output, the prompt's hash and the usage per model.

        `sink` is the job's budget: checked before and charged after every call.
        """
        prompt = self.prompts.render(self.role, variables)
        messages: list[BaseMessage] = [
            SystemMessage(content=prompt.system),
            HumanMessage(content=prompt.user),
        ]
        usage: dict[str, TokenUsage] = {}
        problem = ""
        for round_ in range(2):
            result = await self.chain.ainvoke(messages, bind=self._bind, sink=sink)
            key = f"{self.role.value}:{result.endpoint}"
            usage[key] = usage.get(key, TokenUsage()) + result.usage
            try:
                return AgentResult(self._parse(result.message), prompt.sha, usage)
            except (ValidationError, _Unparseable) as exc:
                problem = _describe(exc)
                if result.message.response_metadata.get("finish_reason") == "length":
                    problem = "the answer was cut off at the length limit: answer much more briefly"
                if round_ == 1:
                    break
                messages = [
                    *messages,
                    AIMessage(content=str(result.message.content) or "(empty answer)"),
                    HumanMessage(content=self._repair_request(problem)),
                ]
        raise LLMOutputError(
            f"{self.role.value} answer did not match {self.output.__name__} after one repair: "
            f"{problem}",
            role=self.role.value,
        )

    async def continue_text(
        self,
        variables: Mapping[str, object],
        prefill: str,
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        sink: UsageSink | None = None,
    ) -> TextResult:
        """Have the model continue `prefill` (completion style); return only the new text.

        For completion-style (base) models, which write better after a heading than after an
        instruction. The rendered prompt comes first, then `prefill` as the assistant's turn.
        """
        prompt = self.prompts.render(self.role, variables)
        messages: list[BaseMessage] = [
            SystemMessage(content=prompt.system),
            HumanMessage(content=prompt.user),
            AIMessage(content=prefill),
        ]

        limits: dict[str, Any] = {}
        if stop:
            limits["stop"] = stop
        if max_tokens:
            limits["max_tokens"] = max_tokens

        def bind(endpoint: ModelEndpoint) -> Any:
            return endpoint.model.bind(**limits) if limits else endpoint.model

        result = await self.chain.ainvoke(messages, bind=bind, sink=sink)
        text = str(result.message.content)
        if text.startswith(prefill):  # llama.cpp returns the prefill with the continuation
            text = text[len(prefill) :]
        usage = {f"{self.role.value}:{result.endpoint}": result.usage}
        return TextResult(text, prompt.sha, usage)

    def _repair_request(self, problem: str) -> str:
        if self.mode == "markdown":
            return (
                "Your answer could not be used: "
                f"{problem}\nReply again with the complete article in markdown only."
            )
        return (
            f"Your answer did not match the required JSON schema: {problem}\n"
            "Reply again with one corrected JSON object only."
        )


class _Unparseable(Exception):
    pass


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}"
            for err in exc.errors()[:8]
        )
    return str(exc)
