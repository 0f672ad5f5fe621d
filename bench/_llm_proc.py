"""The loopback fake LLM in a process of its own, so its CPU and memory are not bacowr's."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.fake_llm import FakeLLM, serve_in_thread

__all__ = ["fake_llm_server"]

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _in_process(latency_s: float) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "bench.fake_llm", "--port", str(port), "--latency", str(latency_s)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/models", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the fake LLM server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def fake_llm_server(latency_s: float, *, separate: bool = True) -> Iterator[str]:
    """Yield the base URL of a fake LLM with `latency_s` per call (own process by default)."""
    if separate:
        with _in_process(latency_s) as url:
            yield url
    else:
        with serve_in_thread(FakeLLM(latency_s)) as url:
            yield url


def llm_calls(url: str) -> int:
    """Return how many calls the fake has answered (its /stats)."""
    stats = httpx.get(url.removesuffix("/v1") + "/stats", timeout=5).json()
    return int(sum(stats["by_role"].values()))
