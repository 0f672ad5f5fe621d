"""Errors that mean 'the database is away', not 'the job is bad'."""

from __future__ import annotations

import asyncpg
import psycopg

DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    ConnectionError,
    OSError,
)


def is_database_outage(exc: BaseException) -> bool:
    """True when `exc` (or its cause) is a lost or refused database connection."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DATABASE_ERRORS):
            return True
        seen = seen.__cause__
    return False
