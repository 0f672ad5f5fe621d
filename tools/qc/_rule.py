"""The result of one rule-scored criterion: a score, a hard cap, findings and fixes."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RuleResult"]


@dataclass
class RuleResult:
    """A criterion as the rules see it; `cap` marks what no reviewer opinion may lift."""

    score: float = 100.0
    cap: float = 100.0
    findings: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    def drop(self, points: float, finding: str, fix: str | None = None) -> None:
        """Subtract points for a soft defect."""
        self.score -= points
        self._record(finding, fix)

    def limit(self, cap: float, finding: str, fix: str | None = None) -> None:
        """Cap the criterion for a hard rule failure."""
        self.cap = min(self.cap, max(cap, 0.0))
        self._record(finding, fix)

    def _record(self, finding: str, fix: str | None) -> None:
        self.findings.append(finding)
        if fix and fix not in self.fixes:
            self.fixes.append(fix)

    @property
    def value(self) -> float:
        """Return the rule score, capped and clamped to 0-100."""
        return round(max(0.0, min(self.score, self.cap, 100.0)), 1)

    @property
    def fix(self) -> str | None:
        """Return the fixes as one instruction, or None when there is nothing to fix."""
        return " ".join(self.fixes) or None
