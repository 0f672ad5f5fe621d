"""Shared field types with validation that names the offending field."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints

__all__ = ["AnchorText", "Domain", "HttpUrlStr", "NonEmptyStr", "Score"]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LABELS = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters or line breaks")
    return value


def _check_http_url(value: str) -> str:
    _no_control(value)
    if any(ch.isspace() for ch in value):
        raise ValueError("must not contain spaces")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http or https URL")
    if not parts.hostname:
        raise ValueError("must include a host name")
    return value


def _check_domain(value: str) -> str:
    domain = value.strip().lower().removeprefix("www.").rstrip(".")
    try:
        ascii_form = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_form = ""
    if "://" in domain or not _LABELS.match(ascii_form):
        raise ValueError("must be a bare domain such as example.se")
    return domain


HttpUrlStr = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2048), AfterValidator(_check_http_url)
]
Domain = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=253), AfterValidator(_check_domain)
]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AnchorText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control),
]
Score = Annotated[float, Field(ge=0, le=100)]
