"""Request settings that get the most useful output from the Gemma 3 270M base model."""

from __future__ import annotations

from typing import Any

__all__ = [
    "PROSE_SAMPLING",
    "RECOMMENDED_TEMPERATURE",
    "STRUCTURED_SAMPLING",
    "recommended_model_kwargs",
]

# Found by experiment (README, "Local model"). Prose: without a repeat penalty the base model
# loops within a paragraph; 1.3 breaks sentence casing and punctuation; min_p trims the tail
# that makes a 270M model drift off topic.
PROSE_SAMPLING: dict[str, Any] = {
    "repeat_penalty": 1.15,
    "repeat_last_n": 256,
    "top_k": 40,
    "top_p": 0.95,
    "min_p": 0.05,
}
# Structured output: the repeat penalty punishes the quotes and commas JSON must repeat and
# lets strings run away, so it is off. Banning newline and tab tokens leaves the json_schema
# grammar only single spaces between tokens, which roughly halves the tokens of an answer.
STRUCTURED_SAMPLING: dict[str, Any] = {
    **PROSE_SAMPLING,
    "repeat_penalty": 1.0,
    "logit_bias": {"\n": False, "\n\n": False, "\t": False, "\t\t": False},
}

RECOMMENDED_TEMPERATURE = 0.7
"""For prose; structured answers do better at 0.2-0.3."""


def recommended_model_kwargs(*, structured: bool = False) -> dict[str, Any]:
    """Return llama.cpp request extras for this model, for `ChatOpenAI(extra_body=...)`.

    Args:
        structured: for calls with `response_format` (json_schema / json_object).
    """
    profile = STRUCTURED_SAMPLING if structured else PROSE_SAMPLING
    return {k: dict(v) if isinstance(v, dict) else v for k, v in profile.items()}
