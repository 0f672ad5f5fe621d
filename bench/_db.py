"""A throwaway database for a benchmark run: on BACOWR_BENCH_SERVER_URL, the local server at
127.0.0.1:5432 when it answers, or an embedded PostgreSQL."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from storage._embedded import start_embedded, stop_embedded
from storage._urls import with_database

LOCAL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@contextmanager
def bench_database() -> Iterator[str]:
    """Yield the URL of a fresh database, dropped afterwards."""
    server = os.environ.get("BACOWR_BENCH_SERVER_URL")
    embedded: Path | None = None
    if server is None and _answers("127.0.0.1", 5432):
        server = LOCAL
    if server is None:
        embedded = Path(tempfile.mkdtemp(prefix="bacowr-bench-")) / "postgres"
        server = start_embedded(embedded, database="postgres")
    name = f"bacowr_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if embedded is not None:
            stop_embedded(embedded, force=True)
