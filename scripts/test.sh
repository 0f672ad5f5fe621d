#!/usr/bin/env bash
# Install bacowr with its test tools, then run lint, types and the whole test suite,
# including the live smoke tests against the embedded local model (pytest -m live) and the
# dashboard's browser test in headless Chromium (Debian's package; Playwright drives it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

if ! command -v chromium >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
# pytest exits 5 when it collects no tests: with `set -e` that fails the run, as it should.
.venv/bin/python -m pytest "$@"
