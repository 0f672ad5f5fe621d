"""Every outcome of every router, on plain state."""

from __future__ import annotations

import pytest

from graphs.policy import JobPolicy, needs_review_reasons, plateau_reason
from graphs.routers import (
    route_after_draft,
    route_after_qc,
    route_after_research,
    route_after_sentinel,
)
from schemas.enums import Criterion
from schemas.state import JobFailure, SentinelDecision
from tests.fakes.factories import qc_round, report, state

POLICY = JobPolicy(max_iterations=3, pass_threshold=80, plateau_min_gain=3, max_research_attempts=2)
FAILURE = JobFailure(kind="llm_unavailable", message="down", node="write")


def test_research_goes_to_sentinel_or_fails() -> None:
    assert route_after_research(state()) == "intent_sentinel"
    assert route_after_research(state(failure=FAILURE)) == "fail"


@pytest.mark.parametrize(
    ("action", "attempts", "expected"),
    [
        ("write", 1, "write"),
        ("research", 1, "research"),
        ("research", 2, "refuse"),
        ("refuse", 1, "refuse"),
    ],
)
def test_sentinel_routes(action: str, attempts: int, expected: str) -> None:
    decision = SentinelDecision(action=action)  # type: ignore[arg-type]
    s = state(decision=decision, research_attempts=attempts)
    assert route_after_sentinel(s, POLICY) == expected


def test_sentinel_failure_or_no_decision_fails() -> None:
    assert route_after_sentinel(state(failure=FAILURE), POLICY) == "fail"
    assert route_after_sentinel(state(), POLICY) == "fail"


def test_draft_routes() -> None:
    assert route_after_draft(state()) == "qc_review"
    assert route_after_draft(state(failure=FAILURE)) == "fail"


def test_qc_passes_at_threshold() -> None:
    s = state(qc=report(80.0), qc_rounds=[qc_round(0, 80.0)])
    assert route_after_qc(s, POLICY) == "finalize"


def test_qc_below_threshold_revises() -> None:
    s = state(qc=report(70.0), qc_rounds=[qc_round(0, 70.0)])
    assert route_after_qc(s, POLICY) == "revise"


def test_qc_passing_score_with_fixable_review_trigger_revises() -> None:
    scores = {Criterion.TRUST: 40.0}
    s = state(qc=report(95.0, scores=scores, review_reasons=["no trust source found"]))
    assert s.qc is not None and s.qc.overall >= 80
    assert route_after_qc(s, POLICY) == "revise"


def test_qc_passing_score_with_unfixable_trigger_goes_to_review() -> None:
    s = state(qc=report(90.0, review_reasons=["intent overall alignment is off"]))
    assert route_after_qc(s, POLICY) == "review"


def test_qc_stops_at_iteration_cap() -> None:
    rounds = [qc_round(i, 60.0 + 10 * i) for i in range(4)]
    s = state(qc=report(70.0), iteration=3, qc_rounds=rounds)
    assert route_after_qc(s, POLICY) == "review"
    assert any("iteration cap" in r for r in needs_review_reasons(s, POLICY))


def test_qc_stops_on_score_plateau() -> None:
    rounds = [qc_round(0, 60.0), qc_round(1, 61.5), qc_round(2, 62.0)]
    s = state(qc=report(62.0), iteration=2, qc_rounds=rounds)
    assert route_after_qc(s, POLICY) == "review"
    assert any("plateau" in r for r in needs_review_reasons(s, POLICY))


def test_qc_stops_when_findings_repeat() -> None:
    rounds = [qc_round(0, 60.0, "same"), qc_round(1, 70.0, "same")]
    s = state(qc=report(70.0), iteration=1, qc_rounds=rounds)
    assert route_after_qc(s, POLICY) == "review"


def test_qc_keeps_revising_while_it_pays_off() -> None:
    rounds = [qc_round(0, 50.0), qc_round(1, 60.0), qc_round(2, 70.0)]
    s = state(qc=report(70.0), iteration=2, qc_rounds=rounds)
    assert route_after_qc(s, POLICY) == "revise"


def test_qc_failure_fails() -> None:
    assert route_after_qc(state(failure=FAILURE, qc=report()), POLICY) == "fail"
    assert route_after_qc(state(), POLICY) == "fail"


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([60.0], None), ([60.0, 62.0], None), ([60.0, 62.0, 62.9], "plateau"), ([60, 61, 64], None)],
)
def test_plateau_rule(scores: list[float], expected: str | None) -> None:
    rounds = [qc_round(i, float(s)) for i, s in enumerate(scores)]
    reason = plateau_reason(rounds, 3.0)
    assert (reason is not None and expected in reason) if expected else reason is None


def test_policy_caps_revisions_for_the_embedded_base_model() -> None:
    from schemas.settings import Settings

    settings = Settings(max_iterations=3, local_max_iterations=1)
    assert JobPolicy.from_settings(settings).max_iterations == 3
    assert JobPolicy.from_settings(settings, local_model=True).max_iterations == 1
