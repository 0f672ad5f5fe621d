"""Connection URL helpers: one URL form that psycopg, asyncpg and alembic's engine all accept.

A Unix-socket server is addressed as `postgresql://user@/dbname?host=/socket/dir`; libpq and
asyncpg both read the socket directory from the `host` query parameter.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

__all__ = ["normalize_url", "redact_url", "socket_url", "with_database"]

_SCHEMES = ("postgresql", "postgres")


def normalize_url(url: str) -> str:
    """Return `url` as a plain `postgresql://` URL, dropping a SQLAlchemy `+driver` suffix.

    Raises:
        ValueError: `url` is not a postgres URL (key=value conninfo strings are not accepted,
            because asyncpg does not read them).
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme.split("+", 1)[0].lower() not in _SCHEMES:
        raise ValueError("the database URL must look like postgresql://user@host:port/dbname")
    return f"postgresql://{rest}"


def socket_url(
    socket_dir: Path, *, database: str, user: str = "postgres", port: int | None = None
) -> str:
    """Return the URL of a server listening on a Unix socket in `socket_dir`."""
    query = {"host": str(socket_dir)}
    if port is not None:
        query["port"] = str(port)
    # %20, not +, for spaces: libpq does not decode + in a query value.
    encoded = urlencode(query, safe="/", quote_via=quote)
    return f"postgresql://{quote(user)}@/{quote(database)}?{encoded}"


def with_database(url: str, database: str) -> str:
    """Return `url` pointing at another database on the same server."""
    parts = urlsplit(normalize_url(url))
    return urlunsplit(parts._replace(path="/" + quote(database)))


def redact_url(url: str) -> str:
    """Return `url` with its password masked, for logs and reprs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostinfo}"))
