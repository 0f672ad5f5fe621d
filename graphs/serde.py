"""The checkpoint serializer: LangGraph's JsonPlus, allowed to rebuild only bacowr's schemas."""

from __future__ import annotations

import importlib
import inspect
from enum import Enum

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel

__all__ = ["STATE_MODULES", "checkpoint_serde", "state_types"]

STATE_MODULES = (
    "schemas.enums",
    "schemas.job_package",
    "schemas.article",
    "schemas.qc",
    "schemas.state",
    "schemas.agent_outputs",
    "schemas.evidence",
)


def state_types() -> list[tuple[str, str]]:
    """Return (module, class) of every model and enum that may sit in a checkpoint."""
    found: list[tuple[str, str]] = []
    for name in STATE_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == name
                and issubclass(value, BaseModel | Enum)
            ):
                found.append((name, attr))
    return found


def checkpoint_serde() -> JsonPlusSerializer:
    """Return a serializer that refuses to rebuild any type outside bacowr's state schemas."""
    return JsonPlusSerializer(allowed_msgpack_modules=state_types())
