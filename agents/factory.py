"""Build each role's model chain of langchain-openai `ChatOpenAI` endpoints from settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from agents.chain import EndpointGuard, ModelChain, ModelEndpoint, RetrySettings
from schemas.enums import Role
from schemas.errors import ConfigError
from schemas.settings import EndpointSettings, Settings

__all__ = ["build_chains", "endpoint_name"]

# OpenAI-compatible local servers accept any key; the SDK insists on one being set.
_NO_KEY = SecretStr("not-needed")


def endpoint_name(ep: EndpointSettings) -> str:
    """Return 'model@host', the name an endpoint goes by in usage, breakers and metrics."""
    host = urlsplit(ep.base_url or "").netloc or "default"
    return f"{ep.model}@{host}"


def _chat_model(ep: EndpointSettings, extra_body: dict[str, Any] | None) -> ChatOpenAI:
    kwargs: dict[str, Any] = {}
    if extra_body:
        kwargs["extra_body"] = extra_body
    return ChatOpenAI(
        base_url=ep.base_url,
        model=ep.model or "",
        api_key=ep.api_key or _NO_KEY,
        temperature=ep.temperature,
        max_completion_tokens=ep.max_tokens,
        timeout=ep.timeout_s,
        max_retries=0,  # agents/chain.py is the one retry layer
        **kwargs,
    )


def build_chains(
    settings: Settings,
    *,
    default_base_url: str | None = None,
    default_model: str | None = None,
    extra_body: dict[str, Any] | None = None,
    guard_for: Callable[[EndpointSettings], EndpointGuard | None] | None = None,
    retry: RetrySettings | None = None,
) -> dict[Role, ModelChain]:
    """Return one model chain per role.

    `default_base_url`/`default_model` fill endpoints that settings leave unset (the embedded
    local model); `extra_body` is sent with those local calls only.
    """
    chains: dict[Role, ModelChain] = {}
    for role in Role:
        endpoints = []
        for ep in settings.endpoint_chain(role):
            local = ep.base_url is None
            ep = ep.model_copy(
                update={
                    "base_url": ep.base_url or default_base_url,
                    "model": ep.model or default_model,
                }
            )
            if not ep.base_url or not ep.model:
                raise ConfigError(
                    f"role {role.value} has no model endpoint: set BACOWR_LLM_BASE_URL and "
                    "BACOWR_LLM_MODEL, or leave both unset to use the embedded local model"
                )
            endpoints.append(
                ModelEndpoint(
                    name=endpoint_name(ep),
                    model=_chat_model(ep, extra_body if local else None),
                    structured=ep.structured_output,
                    guard=guard_for(ep) if guard_for else None,
                )
            )
        chains[role] = ModelChain(endpoints, retry=retry)
    return chains
