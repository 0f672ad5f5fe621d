"""The checkpointer's connection check: a round trip only for a connection that looks dead.

psycopg_pool's stock `check_connection` runs an empty query every time a connection leaves
the pool: one extra round trip per checkpoint operation (about three per graph step). An idle
connection that the server closed (restart, pg_terminate_backend, idle timeouts) has bytes
or EOF waiting on its socket: the server sends a FATAL message before it hangs up. So poll
the socket without waiting, and run the real check only when something is there, when psycopg
already knows the connection is broken, or when it sat idle for longer than `full_check_after_s`.
"""

from __future__ import annotations

import select
import time
import weakref
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

__all__ = ["SocketCheck"]


class SocketCheck:
    """A pool `check` callback (and its `reset` partner that notes when a connection idled)."""

    def __init__(self, full_check_after_s: float = 30.0) -> None:
        self.full_check_after_s = full_check_after_s
        self._returned: weakref.WeakKeyDictionary[AsyncConnection[Any], float] = (
            weakref.WeakKeyDictionary()
        )
        self.full_checks = 0

    async def reset(self, conn: AsyncConnection[Any]) -> None:
        """Note when `conn` went back to the pool (the pool's `reset` callback)."""
        self._returned[conn] = time.monotonic()

    async def check(self, conn: AsyncConnection[Any]) -> None:
        """Raise if `conn` is unusable; a round trip only when it looks suspect."""
        if self._suspect(conn):
            self.full_checks += 1
            await AsyncConnectionPool.check_connection(conn)

    def _suspect(self, conn: AsyncConnection[Any]) -> bool:
        if conn.closed or conn.broken:
            return True
        returned = self._returned.get(conn)
        if returned is None or time.monotonic() - returned > self.full_check_after_s:
            return True
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
