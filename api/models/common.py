"""Shapes shared by every route: the error body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ERROR_RESPONSES", "ErrorBody", "FieldError"]


class FieldError(BaseModel):
    """One invalid input field."""

    field: str = Field(description="Dotted path of the field.", examples=["anchor_text"])
    location: str = Field(
        description="Where the field was sent: body, query, path or header.", examples=["body"]
    )
    message: str = Field(
        description="What is wrong with it.", examples=["String should have at least 1 character"]
    )


class ErrorBody(BaseModel):
    """Every error response: a stable kind, a message for people, structured fields."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "not_found", "message": "no such job", "fields": {}}]
        }
    )

    kind: str = Field(
        description="Machine-readable error kind (not_found, validation, unauthorized, ...).",
        examples=["not_found"],
    )
    message: str = Field(description="What went wrong, for people.", examples=["no such job"])
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Structured details of the error (the ids it is about).",
        examples=[{"job_id": "job_0123456789abcdef0123"}],
    )
    errors: list[FieldError] = Field(
        default_factory=list, description="For validation errors: one entry per invalid field."
    )
    request_id: str | None = Field(
        default=None, description="The request's id, as in the X-Request-ID header and the logs."
    )


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("Missing or wrong API key (send `Authorization: Bearer <key>`)."),
    413: _error("The request body is larger than the configured limit."),
    422: _error("The request is invalid; `errors` names each field."),
}
