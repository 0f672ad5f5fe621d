"""What every benchmark prints: the machine, a table, one JSON line per figure.

A figure line is a JSON object with `figure` and `variant` (together its identity), `value`,
`unit` and `better` ("lower" or "higher"), plus whatever detail the benchmark adds. The
comparison (`bench/compare.py`) reads only those five fields.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["Figure", "machine", "median", "print_figures", "print_table", "rss_kb"]

Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Figure:
    """One measured figure; `detail` holds the run's parameters and raw numbers."""

    figure: str
    variant: str
    value: float
    unit: str
    better: Better
    detail: Mapping[str, Any]

    def as_json(self) -> str:
        """Return the figure as one JSON line."""
        head = {
            "figure": self.figure,
            "variant": self.variant,
            "value": self.value,
            "unit": self.unit,
            "better": self.better,
        }
        return json.dumps({**head, **self.detail}, separators=(", ", ": "))


def machine() -> dict[str, Any]:
    """Return cores, memory and the 1-minute load average right now."""
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "mem_gb": round(mem_kb / 1024 / 1024, 1),
        "load1": round(os.getloadavg()[0], 2),
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def rss_kb() -> int:
    """Return this process's resident set size in KiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def median(values: Iterable[float]) -> float:
    """Return the median (0.0 for no values)."""
    items = list(values)
    return statistics.median(items) if items else 0.0


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print a plain fixed-width table."""
    body = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)
    ]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for row in body:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


def print_figures(figures: Iterable[Figure]) -> None:
    """Print one JSON line per figure."""
    for fig in figures:
        print(fig.as_json())
