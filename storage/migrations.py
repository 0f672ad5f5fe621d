"""Run bacowr's alembic migrations in-process (blocking: from async code use a thread)."""

from __future__ import annotations

import os
from pathlib import Path

import alembic.command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from storage._urls import normalize_url

__all__ = ["alembic_config", "current_revision", "downgrade", "head_revision", "upgrade"]


def _script_location() -> Path:
    """Find the alembic/ folder: $BACOWR_ALEMBIC_DIR, the source tree, or the working folder."""
    explicit = os.environ.get("BACOWR_ALEMBIC_DIR")
    candidates = [Path(explicit)] if explicit else []
    # The repo root holds alembic/ next to storage/; site-packages/alembic is the library
    # itself, hence the env.py check.
    candidates += [Path(__file__).resolve().parents[1] / "alembic", Path.cwd() / "alembic"]
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(
        "alembic/ migrations folder not found; set BACOWR_ALEMBIC_DIR or run from the repo root"
    )


def alembic_config(url: str) -> Config:
    """Return an alembic Config that migrates the database at `url`."""
    config = Config()
    config.set_main_option("script_location", str(_script_location()).replace("%", "%%"))
    # Passed as an attribute, not an option, so a '%' in a password needs no escaping.
    config.attributes["url"] = normalize_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision`."""
    alembic.command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Migrate the database at `url` down to `revision` (`base` drops every bacowr table)."""
    alembic.command.downgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    """Return the newest migration's revision id."""
    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return script.get_current_head()


def current_revision(url: str) -> str | None:
    """Return the revision the database at `url` is at (None before the first migration)."""
    import psycopg

    plain = normalize_url(url)
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(plain), poolclass=pool.NullPool
    )
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
