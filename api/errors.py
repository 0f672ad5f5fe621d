"""Typed errors mapped to responses, in one place. No stack trace ever reaches a client."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.models.common import ErrorBody, FieldError
from schemas.errors import (
    BacowrError,
    ConfigError,
    LLMUnavailableError,
    PromptError,
    TransientError,
)
from services.api_inputs import UNSTORABLE_INPUT_ERRORS
from services.batch_import import BatchFileError
from services.observability import current_context, redact
from services.reviews import NotWaitingForReviewError
from services.worker import is_database_outage
from storage.errors import IdempotencyConflictError, NotFoundError, StorageError

__all__ = ["error_response", "install_error_handlers", "unexpected_error_response"]

log = logging.getLogger(__name__)

_HTTP_KINDS = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    503: "unavailable",
}


def error_response(
    status_code: int,
    kind: str,
    message: str,
    *,
    fields: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Return the one error body every route uses."""
    body = ErrorBody(
        kind=kind,
        message=redact(message),
        fields={k: redact(str(v)) for k, v in (fields or {}).items()},
        errors=errors or [],
        request_id=current_context().get("request_id"),
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status_code, headers=dict(headers or {})
    )


def _status_of(exc: BacowrError) -> int:
    if isinstance(exc, NotFoundError):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, IdempotencyConflictError | NotWaitingForReviewError):
        return status.HTTP_409_CONFLICT
    if isinstance(exc, BatchFileError):
        return status.HTTP_422_UNPROCESSABLE_CONTENT
    if isinstance(exc, TransientError | LLMUnavailableError):
        return status.HTTP_503_SERVICE_UNAVAILABLE
    if isinstance(exc, ConfigError | PromptError | StorageError):
        return status.HTTP_500_INTERNAL_SERVER_ERROR
    return status.HTTP_400_BAD_REQUEST


async def _bacowr_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BacowrError)
    code = _status_of(exc)
    if code >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    return error_response(code, exc.kind, exc.message, fields=exc.fields)


def _field_errors(raw: list[Any]) -> list[FieldError]:
    errors = []
    for item in raw:
        loc = [str(part) for part in item.get("loc", ())]
        where = loc[0] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else ""
        path = loc[1:] if where else loc
        errors.append(
            FieldError(field=".".join(path) or where, location=where, message=item.get("msg", ""))
        )
    return errors


async def _unstorable(request: Request, exc: Exception) -> JSONResponse:
    return error_response(
        422, "unstorable_input", "the request holds a value that cannot be stored (e.g. U+0000)"
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(list(exc.errors()))
    message = "; ".join(f"{e.field}: {e.message}" for e in errors) or "invalid request"
    return error_response(422, "validation", message, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    kind = _HTTP_KINDS.get(exc.status_code, "http_error")
    return error_response(exc.status_code, kind, str(exc.detail), headers=exc.headers)


def unexpected_error_response(method: str, path: str, exc: BaseException) -> JSONResponse:
    """Return the response for an error no handler mapped (logged without a stack trace)."""
    if isinstance(exc, Exception) and is_database_outage(exc):
        log.warning("database unavailable during %s %s: %s", method, path, exc)
        return error_response(503, "database_unavailable", "the database is unavailable; retry")
    log.error("%s %s failed", method, path, exc_info=exc)
    return error_response(500, "internal", "internal error; the request id is in the logs")


def install_error_handlers(app: FastAPI) -> None:
    """Map bacowr's typed errors, validation and HTTP errors to `ErrorBody` responses.

    Anything else is answered by the request middleware (`unexpected_error_response`), inside
    the request's log context, so its log line carries the request id.
    """
    app.add_exception_handler(BacowrError, _bacowr_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for error_class in UNSTORABLE_INPUT_ERRORS:
        app.add_exception_handler(error_class, _unstorable)
