"""API keys: bearer tokens, held only as SHA-256 digests, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from pydantic import SecretStr

__all__ = ["ApiKeys"]


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class ApiKeys:
    """The accepted keys' digests; with none configured, every request is let through."""

    def __init__(self, keys: Iterable[SecretStr]) -> None:
        self._digests = [_digest(key.get_secret_value()) for key in keys]

    @property
    def required(self) -> bool:
        """True when keys are configured (the API is closed without one)."""
        return bool(self._digests)

    def accepts(self, token: str | None) -> bool:
        """True when `token` is a configured key (always compares against every key)."""
        if not self._digests:
            return True
        if not token:
            return False
        candidate = _digest(token)
        matched = False
        for digest in self._digests:
            matched |= hmac.compare_digest(candidate, digest)
        return matched
