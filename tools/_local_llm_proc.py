"""Process plumbing for the local model server: spawn, probe, per-port lock, log tail."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import httpx

__all__ = ["ProbeState", "log_tail", "port_lock", "probe_server", "spawn_server"]

ProbeState = Literal["down", "loading", "ready", "foreign"]


def spawn_server(cmd: list[str], log_file: Path) -> subprocess.Popen[bytes]:
    """Start `cmd` with its output appended to `log_file`, in a session of its own.

    A Ctrl-C meant for bacowr must not kill a server other processes may share; the owner
    stops it deliberately.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        log.flush()
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


async def probe_server(root_url: str, timeout_s: float = 3.0) -> tuple[ProbeState, str | None]:
    """Classify what answers at `root_url`; for a ready model server also return its model id."""
    # trust_env=False: a proxy from the environment must never see loopback traffic.
    async with httpx.AsyncClient(base_url=root_url, timeout=timeout_s, trust_env=False) as c:
        try:
            health = await c.get("/health")
            if health.status_code == 503:  # llama-server answers 503 while loading the model
                return "loading", None
            if health.status_code != 200:
                return "foreign", None
            models = await c.get("/v1/models")
            return "ready", str(models.json()["data"][0]["id"])
        except httpx.TransportError:
            return "down", None
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError):
            return "foreign", None


@contextlib.asynccontextmanager
async def port_lock(path: Path) -> AsyncIterator[None]:
    """Hold an exclusive file lock (polled, so waiting for it stays cancellable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def log_tail(path: Path, lines: int = 15) -> str:
    """Return the last lines of a log file ("" if unreadable)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
