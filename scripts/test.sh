#!/usr/bin/env bash
# Install bacowr with its test tools, then run lint, types and the whole test suite,
# including the live smoke tests against the embedded local model (pytest -m live).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
# pytest exits 5 when it collects no tests: with `set -e` that fails the run, as it should.
.venv/bin/python -m pytest "$@"
