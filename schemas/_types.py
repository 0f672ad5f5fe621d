"""Shared field types with validation that names the offending field."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints

__all__ = ["Domain", "HttpUrlStr", "NonEmptyStr", "Score"]


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http or https URL")
    if not parts.hostname:
        raise ValueError("must include a host name")
    return value


def _check_domain(value: str) -> str:
    domain = value.strip().lower().removeprefix("www.")
    if "://" in domain or "/" in domain or " " in domain or "." not in domain:
        raise ValueError("must be a bare domain such as example.se")
    return domain


HttpUrlStr = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2048), AfterValidator(_check_http_url)
]
Domain = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=253), AfterValidator(_check_domain)
]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Score = Annotated[float, Field(ge=0, le=100)]
