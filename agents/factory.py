"""Build each role's model chain of langchain-openai `ChatOpenAI` endpoints from settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from agents.chain import ModelChain, ModelEndpoint, RetrySettings
from agents.limits import GuardRegistry
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


def _chat_model(
    ep: EndpointSettings, extra_body: dict[str, Any] | None, client: httpx.AsyncClient | None
) -> ChatOpenAI:
    kwargs: dict[str, Any] = {}
    if extra_body:
        kwargs["extra_body"] = extra_body
    if client is not None:
        # Our own client: langchain-openai's default one is cached per process and bound to
        # the first event loop that used it.
        kwargs["http_async_client"] = client
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
    json_extra: dict[str, Any] | None = None,
    guards: GuardRegistry | None = None,
    local_timeout_s: float | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> dict[Role, ModelChain]:
    """Return one model chain per role.

    `default_base_url`/`default_model` fill endpoints that settings leave unset (the embedded
    local model); `extra_body`, `json_extra` (request settings for structured calls) and
    `local_timeout_s` apply to those local calls only. Guards are
    shared per endpoint name, so every role and job calling one endpoint shares its limits.
    """
    retry = RetrySettings(
        attempts=settings.llm_retry_attempts,
        base_delay_s=settings.llm_retry_base_delay_s,
        max_delay_s=settings.llm_retry_max_delay_s,
    )
    chains: dict[Role, ModelChain] = {}
    for role in Role:
        endpoints = []
        for ep in settings.endpoint_chain(role):
            local = ep.base_url is None
            ep = ep.model_copy(
                update={
                    "base_url": ep.base_url or default_base_url,
                    "model": ep.model or default_model,
                    "timeout_s": local_timeout_s if local and local_timeout_s else ep.timeout_s,
                }
            )
            if not ep.base_url or not ep.model:
                raise ConfigError(
                    f"role {role.value} has no model endpoint: set BACOWR_LLM_BASE_URL and "
                    "BACOWR_LLM_MODEL, or leave both unset to use the embedded local model"
                )
            name = endpoint_name(ep)
            price = settings.model_prices.get(ep.model or "")
            endpoints.append(
                ModelEndpoint(
                    name=name,
                    model=_chat_model(ep, extra_body if local else None, http_client),
                    structured=ep.structured_output,
                    guard=guards.guard(name, ep.rpm, ep.tpm) if guards else None,
                    price_in_per_mtok=price.input_per_mtok if price else 0.0,
                    price_out_per_mtok=price.output_per_mtok if price else 0.0,
                    json_kwargs=dict(json_extra or {}) if local else {},
                )
            )
        chains[role] = ModelChain(endpoints, retry=retry)
    return chains
