"""Caps and thresholds of the job graph, and the pure predicates routers share with nodes."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.settings import Settings
from schemas.state import JobState, QCRound

__all__ = ["JobPolicy", "needs_review_reasons", "plateau_reason"]


@dataclass(frozen=True)
class JobPolicy:
    max_iterations: int = 3
    pass_threshold: float = 80.0
    plateau_min_gain: float = 3.0
    max_research_attempts: int = 2

    @classmethod
    def from_settings(cls, settings: Settings, *, local_model: bool = False) -> JobPolicy:
        """Build the policy from settings (`local_model`: the embedded base model writes)."""
        iterations = settings.max_iterations
        if local_model:
            iterations = min(iterations, settings.local_max_iterations)
        return cls(
            max_iterations=iterations,
            pass_threshold=settings.pass_threshold,
            plateau_min_gain=settings.plateau_min_gain,
            max_research_attempts=settings.max_research_attempts,
        )


def plateau_reason(rounds: list[QCRound], min_gain: float) -> str | None:
    """Return why revising stopped paying off, or None while it still does.

    A plateau is a score that gained less than `min_gain` over the last two revisions, or the
    same failing findings coming back unchanged after a revision.
    """
    if len(rounds) >= 2 and rounds[-1].findings_signature == rounds[-2].findings_signature:
        return "the same findings came back unchanged after a revision"
    if len(rounds) >= 3:
        gain = rounds[-1].overall - rounds[-3].overall
        if gain < min_gain:
            return f"score plateaued: +{gain:.1f} points over two revisions"
    return None


def needs_review_reasons(state: JobState, policy: JobPolicy) -> list[str]:
    """Return why a job that stopped revising needs a human."""
    qc = state.qc
    if qc is None:
        return ["no QC report"]
    reasons = list(qc.human_review.reasons)
    if qc.overall < policy.pass_threshold:
        plateau = plateau_reason(state.qc_rounds, policy.plateau_min_gain)
        if state.iteration >= policy.max_iterations:
            reasons.append(
                f"iteration cap reached: {state.iteration} revisions, score {qc.overall:.1f}"
            )
        elif plateau:
            reasons.append(plateau)
        else:
            reasons.append(f"score {qc.overall:.1f} below {policy.pass_threshold:.0f}")
    return list(dict.fromkeys(reasons)) or ["flagged for human review"]
