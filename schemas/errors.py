"""bacowr's typed errors: a small hierarchy whose exceptions carry structured fields."""

from __future__ import annotations

__all__ = [
    "BacowrError",
    "BudgetExceededError",
    "ConfigError",
    "FetchError",
    "FetchRefusedError",
    "LLMOutputError",
    "LLMUnavailableError",
    "PromptError",
    "ResearchError",
    "TransientError",
    "TransientFetchError",
    "TransientLLMError",
    "is_transient",
]


class BacowrError(Exception):
    """Base of every error bacowr raises on purpose. `kind` names it in job records."""

    kind = "error"

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        if not self.fields:
            return self.message
        extra = ", ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"{self.message} ({extra})"


class ConfigError(BacowrError):
    kind = "config"


class PromptError(BacowrError):
    """A prompt file is missing or its placeholders do not match what its node supplies."""

    kind = "prompt"


class TransientError(BacowrError):
    """An error worth retrying: the same call may succeed a moment later."""

    kind = "transient"


class TransientLLMError(TransientError):
    kind = "llm_transient"


class TransientFetchError(TransientError):
    kind = "fetch_transient"


class LLMUnavailableError(BacowrError):
    """Every model of a role's chain failed (after the LLM layer's own retries and fallbacks)."""

    kind = "llm_unavailable"


class LLMOutputError(BacowrError):
    """A model's answer did not meet its output schema, even after the repair round."""

    kind = "llm_output"


class BudgetExceededError(BacowrError):
    kind = "budget"


class ResearchError(BacowrError):
    kind = "research"


class FetchError(BacowrError):
    """A page could not be fetched (HTTP error, too large, not HTML, robots.txt)."""

    kind = "fetch"


class FetchRefusedError(FetchError):
    """The SSRF guard refused a URL before any request was made."""

    kind = "fetch_refused"


def is_transient(exc: BaseException) -> bool:
    """Return True for errors LangGraph's RetryPolicy may retry."""
    return isinstance(exc, TransientError)
