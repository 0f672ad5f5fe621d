"""Where the database is: the configured server, or a private embedded PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import TracebackType

from schemas.settings import Settings
from storage._embedded import start_embedded, stop_embedded
from storage._urls import normalize_url, redact_url

__all__ = ["EMBEDDED_DATABASE", "DatabaseHandle", "resolve_database"]

EMBEDDED_DATABASE = "bacowr"


class DatabaseHandle:
    """A resolved database URL, and for the embedded server the means to stop it.

    Use it as an async context manager to stop the embedded server on exit when
    `stop_on_exit` is set; it stays running while other clients are still connected.
    """

    def __init__(self, url: str, *, pgdata: Path | None = None, stop_on_exit: bool = False):
        self.url = url
        self.pgdata = pgdata
        self.stop_on_exit = stop_on_exit

    @property
    def embedded(self) -> bool:
        """True when the URL points at the private embedded server."""
        return self.pgdata is not None

    async def stop(self, *, force: bool = False) -> bool:
        """Stop the embedded server (a no-op for a configured server); True if it stopped.

        Close your own pools first: without `force` the server keeps running while any
        other client is connected.
        """
        if self.pgdata is None:
            return False
        return await asyncio.to_thread(stop_embedded, self.pgdata, force=force)

    async def __aenter__(self) -> DatabaseHandle:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.stop_on_exit:
            await self.stop()

    def __repr__(self) -> str:
        where = f"embedded at {self.pgdata}" if self.pgdata else "configured"
        return f"DatabaseHandle({redact_url(self.url)!r}, {where})"


async def resolve_database(settings: Settings, *, stop_on_exit: bool = False) -> DatabaseHandle:
    """Return the configured database, or start (or reuse) the embedded one in data_dir.

    Idempotent and safe when several processes call it at once (a file lock serialises the
    embedded server's initdb and start).

    Raises:
        ValueError: `database_url` is set but is not a postgres URL.
        EmbeddedDatabaseError: the embedded server could not be started.
    """
    if settings.database_url is not None:
        return DatabaseHandle(normalize_url(settings.database_url.get_secret_value()))
    pgdata = (settings.data_dir / "postgres").expanduser().resolve()
    url = await asyncio.to_thread(start_embedded, pgdata, database=EMBEDDED_DATABASE)
    return DatabaseHandle(url, pgdata=pgdata, stop_on_exit=stop_on_exit)
