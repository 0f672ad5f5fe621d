"""Load role prompts from markdown files, check their placeholders, and hash their content.

A prompt file has a `## System` section and a `## User` section. Placeholders are
`{name}` (str.format syntax; write `{{` and `}}` for literal braces). The file is read on every
render, so an edited prompt is used from the next LLM call on, without a restart.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schemas.enums import Role
from schemas.errors import PromptError

__all__ = ["PromptLoader", "RenderedPrompt", "placeholders_of"]

_SECTIONS = ("## System", "## User")


@dataclass(frozen=True)
class RenderedPrompt:
    role: Role
    system: str
    user: str
    sha: str


def placeholders_of(template: str) -> set[str]:
    """Return the placeholder names a template uses."""
    names: set[str] = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None:
            if not field.isidentifier():
                raise PromptError(f"placeholder {{{field}}} is not a plain name")
            names.add(field)
    return names


def _split(text: str, path: Path) -> tuple[str, str]:
    system_at = text.find(_SECTIONS[0])
    user_at = text.find(_SECTIONS[1])
    if system_at < 0 or user_at < 0 or user_at < system_at:
        raise PromptError(
            f"{path.name} must have a '## System' section followed by a '## User' section",
            path=str(path),
        )
    system = text[system_at + len(_SECTIONS[0]) : user_at].strip()
    user = text[user_at + len(_SECTIONS[1]) :].strip()
    return system, user


class PromptLoader:
    """Render `<directory>/<role>.md` with the variables its node supplies."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, role: Role) -> Path:
        """Return the file a role's prompt is read from."""
        return self.directory / f"{role.value}.md"

    def read(self, role: Role) -> tuple[str, str]:
        """Return the prompt file's text and its content hash."""
        path = self.path_for(role)
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise PromptError(f"prompt file {path} is missing", role=role.value) from exc
        return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()[:12]

    def check(self, role: Role, supplied: set[str]) -> str:
        """Fail unless the file's placeholders are exactly `supplied`; return its hash."""
        _, _, sha = self._checked(role, supplied)
        return sha

    def _checked(self, role: Role, supplied: set[str]) -> tuple[str, str, str]:
        text, sha = self.read(role)
        system, user = _split(text, self.path_for(role))
        used = placeholders_of(system) | placeholders_of(user)
        missing = used - supplied
        unused = supplied - used
        if missing or unused:
            parts = []
            if missing:
                parts.append(f"unknown placeholders {sorted(missing)}")
            if unused:
                parts.append(f"never uses {sorted(unused)}")
            raise PromptError(
                f"prompt {self.path_for(role).name} does not match its node: " + "; ".join(parts),
                role=role.value,
            )
        return system, user, sha

    def render(self, role: Role, variables: Mapping[str, object]) -> RenderedPrompt:
        """Render a role's prompt; raise PromptError when placeholders and variables differ."""
        system, user, sha = self._checked(role, set(variables))
        values = {k: str(v) for k, v in variables.items()}
        return RenderedPrompt(
            role=role, system=system.format(**values), user=user.format(**values), sha=sha
        )
