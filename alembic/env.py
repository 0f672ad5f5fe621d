"""Alembic environment for bacowr's tables (jobs, batches, events, articles, caches).

The LangGraph checkpointer's tables (`checkpoints`, `checkpoint_blobs`, `checkpoint_writes`,
`checkpoint_migrations`) live in the same database but belong to the checkpointer: its own
`setup()` creates and migrates them (see storage/checkpointer.py). `include_object` keeps them
out of any autogenerate comparison, so alembic never proposes to drop them.

URL, first match wins: `config.attributes["url"]` (storage.migrations), `-x url=...`,
`$BACOWR_DATABASE_URL`, `sqlalchemy.url` in alembic.ini. Migrations run on the sync psycopg
driver, in one transaction, under an advisory lock so concurrent starters do not race.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

import psycopg
from alembic import context
from sqlalchemy import create_engine, pool, text

config = context.config

# Only when run from the alembic CLI: an embedding program keeps its own logging setup.
if config.config_file_name is not None and not config.attributes.get("url"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Any constant works; it only has to differ from other advisory locks in the database.
MIGRATION_LOCK_KEY = 0x6261636F7701


def _database_url() -> str:
    url = (
        config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("BACOWR_DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise RuntimeError("no database URL: pass -x url=... or set BACOWR_DATABASE_URL")
    scheme, sep, rest = url.partition("://")
    # Accept SQLAlchemy-style URLs too; psycopg wants the plain libpq form.
    return f"postgresql://{rest}" if sep and scheme.startswith("postgres") else url


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the checkpointer's tables (and their indexes) to the checkpointer."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return not (table or "").startswith("checkpoint")


def run_migrations_offline() -> None:
    context.configure(
        url="postgresql+psycopg://",
        literal_binds=True,
        include_object=include_object,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _database_url()
    # libpq parses the URL itself (Unix-socket `?host=/dir` forms included); SQLAlchemy only
    # needs to know the dialect.
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(url), poolclass=pool.NullPool
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=None, include_object=include_object
        )
        with context.begin_transaction():
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
