"""The `python -m bench` dispatcher: run one benchmark by name, or compare with RESULTS.md."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
from pathlib import Path
from typing import Any

from bench._report import Figure, machine
from bench.compare import FigureValue, compare, parse_figures, regressions

__all__ = ["BENCHES", "CHEAP", "dispatch", "run_bench"]

BENCHES = {
    "overhead": "bench.overhead",
    "throughput": "bench.throughput",
    "batch": "bench.batch",
    "memory": "bench.memory",
    "checkpoint_size": "bench.checkpoint_size",
    "local_model": "bench.local_model",
}
# What `--compare` re-runs: the figures that take seconds, not minutes.
CHEAP: dict[str, list[str]] = {
    "overhead": [],
    "checkpoint_size": [],
    "throughput": ["--jobs", "150", "--repeats", "2"],
}


def run_bench(name: str, argv: list[str]) -> list[Any]:
    """Run benchmark `name` with its own arguments; return what its main returns."""
    module = importlib.import_module(BENCHES[name])
    result = module.main(argv)
    if inspect.iscoroutine(result):  # bench.local_model's main is async
        result = asyncio.run(result)
    return list(result or [])


def _as_values(figures: list[Any]) -> dict[tuple[str, str], FigureValue]:
    lines = "\n".join(f.as_json() for f in figures if isinstance(f, Figure))
    return parse_figures(lines)


def _change(change: float | None) -> str:
    if not change:
        return ""
    return f" ({change:+.0%} worse)" if change > 0 else f" ({-change:.0%} better)"


def _compare(results: Path, current: Path | None, tolerance: float) -> int:
    recorded = parse_figures(results.read_text(encoding="utf-8"))
    if current is not None:
        fresh = parse_figures(current.read_text(encoding="utf-8"))
    else:
        figures: list[Any] = []
        for name, argv in CHEAP.items():
            print(f"== {name} {' '.join(argv)}")
            figures += run_bench(name, argv)
        fresh = _as_values(figures)
        recorded = {k: v for k, v in recorded.items() if k[0] in {f.figure for f in fresh.values()}}
    verdicts = compare(recorded, fresh, tolerance)
    print(f"\n== compare with {results} (tolerance {tolerance:.0%}), machine now: {machine()}")
    for v in verdicts:
        print(
            f"{v.status:>9}  {v.key[0]}/{v.key[1]}: {v.recorded} -> {v.current} {v.unit}"
            f"{_change(v.change)}"
        )
    failed = regressions(verdicts)
    print(f"{len(failed)} figure(s) more than {tolerance:.0%} worse" if failed else "no regression")
    return 1 if failed else 0


def dispatch(argv: list[str]) -> int:
    """Entry point of `python -m bench`; return the exit code."""
    if argv and argv[0] in BENCHES:
        run_bench(argv[0], argv[1:])
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run a benchmark (python -m bench NAME [ARGS]; NAME in "
        + ", ".join(BENCHES)
        + ") or compare fresh figures with recorded ones.",
    )
    parser.add_argument("--compare", type=Path, metavar="RESULTS_MD", required=True)
    parser.add_argument("--current", type=Path, help="read fresh figures from FILE, run nothing")
    parser.add_argument("--tolerance", type=float, default=0.25)
    args = parser.parse_args(argv)
    return _compare(args.compare, args.current, args.tolerance)
