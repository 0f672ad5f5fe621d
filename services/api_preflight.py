"""Startup checks for the API: settings, prompts and the database, each failing with one clear
message (a `StartupError`) before anything is served."""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from agents.prompts import PromptLoader
from nodes._brief import article_brief, qc_variables
from nodes.intent_sentinel import sentinel_variables
from nodes.research import researcher_variables
from schemas.enums import Role
from schemas.errors import BacowrError, PromptError
from schemas.evidence import PageEvidence, ResearchEvidence
from schemas.job_package import InputMinimal, JobMeta, JobPackage
from schemas.settings import Settings
from services.observability import redact
from storage.database import resolve_database

__all__ = [
    "MIN_API_KEY_LENGTH",
    "PromptFile",
    "StartupError",
    "check_database",
    "check_prompts",
    "check_settings",
    "list_prompts",
    "prompt_variables",
    "run_preflight",
]

log = logging.getLogger(__name__)

MIN_API_KEY_LENGTH = 16


class StartupError(BacowrError):
    """The API cannot start: the message says what to fix."""

    kind = "startup"


def _sample_package() -> JobPackage:
    minimal = InputMinimal(
        publisher_domain="example.se", target_url="https://example.se/", anchor_text="x"
    )
    return JobPackage(job_meta=JobMeta(job_id="preflight"), input_minimal=minimal)


def prompt_variables() -> dict[Role, set[str]]:
    """Return the placeholders each role's node supplies to its prompt.

    Every set comes from the nodes' own variable builders (the reviser adds three to the brief).
    """
    package = _sample_package()
    brief = set(article_brief(package))
    evidence = ResearchEvidence(target=PageEvidence(url=package.input_minimal.target_url))
    return {
        Role.researcher: set(researcher_variables(package, evidence)),
        Role.intent_sentinel: set(sentinel_variables(package)),
        Role.writer: brief,
        Role.reviser: brief | {"article", "fixes", "reviewer_notes"},
        Role.qc_reviewer: set(qc_variables("", package)),
    }


def check_prompts(loader: PromptLoader) -> dict[str, str]:
    """Check every role's prompt file against its node; return each file's hash.

    Raises:
        StartupError: a file is missing or its placeholders differ (all problems in one).
    """
    hashes: dict[str, str] = {}
    problems: list[str] = []
    for role, supplied in prompt_variables().items():
        try:
            hashes[role.value] = loader.check(role, supplied)
        except PromptError as exc:
            problems.append(exc.message)
    if problems:
        raise StartupError("prompts are not usable: " + "; ".join(problems))
    return hashes


@dataclass(frozen=True)
class PromptFile:
    role: str
    file: str
    sha: str | None
    changed_at: datetime | None
    problem: str | None


def list_prompts(loader: PromptLoader) -> list[PromptFile]:
    """Return each role's prompt file with its hash, change time and placeholder check."""
    files = []
    for role, supplied in prompt_variables().items():
        path = loader.path_for(role)
        sha: str | None = None
        changed: datetime | None = None
        problem: str | None = None
        try:
            sha = loader.check(role, supplied)
            changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except PromptError as exc:
            problem = exc.message
        except OSError as exc:
            problem = f"cannot read {path.name}: {exc.strerror}"
        files.append(PromptFile(role.value, path.name, sha, changed, problem))
    return files


def check_settings(settings: Settings) -> None:
    """Refuse settings the API must not run with; warn about risky ones.

    Raises:
        StartupError: an API key is too short to be a secret.
    """
    short = sum(1 for key in settings.api_keys if len(key.get_secret_value()) < MIN_API_KEY_LENGTH)
    if short:
        raise StartupError(
            f"{short} API key(s) in BACOWR_API_KEYS are shorter than {MIN_API_KEY_LENGTH}"
            " characters; use long random keys (e.g. `openssl rand -hex 24`)"
        )
    if not settings.api_keys and not _is_loopback(settings.api_host):
        log.warning("the API listens on %s without API keys: anyone can use it", settings.api_host)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def check_database(settings: Settings, *, timeout_s: float = 10.0) -> None:
    """Connect to the configured database once and run `SELECT 1`.

    Does nothing when no database is configured (the runtime starts the embedded one).

    Raises:
        StartupError: the URL is malformed or the server cannot be reached in time.
    """
    if settings.database_url is None:
        return
    raw = settings.database_url.get_secret_value()
    try:
        url = (await resolve_database(settings)).url
    except ValueError as exc:
        raise StartupError(f"BACOWR_DATABASE_URL is not usable: {exc}") from None
    try:
        conn = await asyncpg.connect(url, timeout=timeout_s)
        try:
            await conn.fetchval("SELECT 1")
        finally:
            await conn.close()
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        reason = redact(str(exc)) or type(exc).__name__
        raise StartupError(f"cannot reach the database at {redact(raw)}: {reason}") from None


async def run_preflight(settings: Settings) -> dict[str, str]:
    """Run every startup check; return the prompt hashes.

    Raises:
        StartupError: the first check that failed, with what to fix.
    """
    check_settings(settings)
    hashes = check_prompts(PromptLoader(settings.prompts_dir))
    await check_database(settings)
    return hashes
