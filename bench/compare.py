"""Compare fresh benchmark figures with recorded ones (bench/RESULTS.md).

A figure is identified by (`figure`, `variant`) and carries `value` and `better`. It is a
regression when it is more than `tolerance` (default 25%) worse than the recorded value, in
its own direction. Figures recorded with `"gate": false` are references (other software's
numbers, e.g. LangGraph's stock saver) and are reported but never fail the comparison; a
recorded value of 0 has no relative scale and is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["FigureValue", "Verdict", "compare", "parse_figures", "regressions"]

Key = tuple[str, str]
Status = Literal["ok", "better", "worse", "reference", "skipped", "missing"]


@dataclass(frozen=True)
class FigureValue:
    figure: str
    variant: str
    value: float
    unit: str
    better: Literal["lower", "higher"]
    gate: bool = True

    @property
    def key(self) -> Key:
        return (self.figure, self.variant)


@dataclass(frozen=True)
class Verdict:
    key: Key
    recorded: float | None
    current: float | None
    unit: str
    change: float | None  # relative, positive = worse
    status: Status


def _figure(obj: Mapping[str, Any]) -> FigureValue | None:
    try:
        better = obj["better"]
        if better not in ("lower", "higher"):
            return None
        return FigureValue(
            figure=str(obj["figure"]),
            variant=str(obj.get("variant", "")),
            value=float(obj["value"]),
            unit=str(obj.get("unit", "")),
            better=better,
            gate=bool(obj.get("gate", True)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def parse_figures(text: str) -> dict[Key, FigureValue]:
    """Return the figures of every JSON line in `text` (markdown around them is ignored).

    A later line with the same key replaces an earlier one.
    """
    found: dict[Key, FigureValue] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and (fig := _figure(obj)) is not None:
            found[fig.key] = fig
    return found


def _worse_by(recorded: FigureValue, current: float) -> float:
    delta = (current - recorded.value) / abs(recorded.value)
    return delta if recorded.better == "lower" else -delta


def compare(
    recorded: Mapping[Key, FigureValue],
    current: Mapping[Key, FigureValue],
    tolerance: float = 0.25,
) -> list[Verdict]:
    """Return one verdict per recorded figure (those not measured again are `missing`)."""
    verdicts = []
    for key, old in recorded.items():
        new = current.get(key)
        if new is None:
            verdicts.append(Verdict(key, old.value, None, old.unit, None, "missing"))
            continue
        if old.value == 0:
            verdicts.append(Verdict(key, old.value, new.value, old.unit, None, "skipped"))
            continue
        change = _worse_by(old, new.value)
        status: Status
        if not old.gate:
            status = "reference"
        elif change > tolerance:
            status = "worse"
        elif change < -tolerance:
            status = "better"
        else:
            status = "ok"
        verdicts.append(Verdict(key, old.value, new.value, old.unit, round(change, 3), status))
    return verdicts


def regressions(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """Return the verdicts that fail the comparison."""
    return [v for v in verdicts if v.status == "worse"]
