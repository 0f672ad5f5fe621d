"""The sentinel's gate rules (NEXT_A1 §3-§4)."""

from __future__ import annotations

import pytest

from schemas.enums import AlignmentLevel as A
from schemas.enums import BridgeType as B
from schemas.enums import DataConfidence as C
from tests.fakes.scripts import sentinel
from tools.intent_gate import gate


def test_aligned_strong_is_written() -> None:
    ext, decision = gate(sentinel(), C.high)
    assert decision.action == "write"
    assert ext.recommended_bridge_type is B.strong
    assert ext.notes.data_confidence is C.high


def test_low_confidence_never_writes() -> None:
    _, decision = gate(sentinel(), C.low)
    assert decision.action == "research"


@pytest.mark.parametrize(
    ("overall", "parts", "bridge", "action", "reason"),
    [
        (A.off, A.off, B.wrapper, "refuse", "all off"),
        (A.off, A.partial, B.pivot, "write", ""),
        (A.off, A.partial, B.wrapper, "write", ""),
        (A.partial, A.partial, B.pivot, "write", ""),
    ],
)
def test_gate_rules(overall: A, parts: A, bridge: B, action: str, reason: str) -> None:
    _, decision = gate(sentinel(overall, parts, bridge), C.medium)
    assert decision.action == action
    assert all(reason in r for r in decision.reasons) if reason else True
    if reason:
        assert decision.reasons


@pytest.mark.parametrize("bridge", [B.strong, B.pivot])
def test_off_with_unfit_bridge_becomes_wrapper_when_target_is_on_intent(bridge: B) -> None:
    ext, decision = gate(sentinel(A.off, A.aligned, bridge), C.high)
    assert decision.action == "write"
    assert ext.recommended_bridge_type is B.wrapper
    assert "corrected to wrapper" in ext.notes.rationale


def test_off_with_target_off_too_is_refused() -> None:
    verdict = sentinel(A.off, A.aligned, B.strong).model_copy(update={"target_vs_serp": A.off})
    _, decision = gate(verdict, C.high)
    assert decision.action == "refuse"
    assert "no pivot or wrapper bridge fits" in decision.reasons[0]


def test_off_wrapper_without_angle_is_refused() -> None:
    verdict = sentinel(A.off, A.partial, B.wrapper).model_copy(
        update={"recommended_article_angle": "  "}
    )
    _, decision = gate(verdict, C.high)
    assert decision.action == "refuse"
    assert "no angle" in decision.reasons[0]


def test_strong_with_an_off_alignment_is_corrected_to_pivot() -> None:
    verdict = sentinel(A.partial, A.aligned, B.strong).model_copy(update={"anchor_vs_serp": A.off})
    ext, decision = gate(verdict, C.high)
    assert decision.action == "write"
    assert ext.recommended_bridge_type is B.pivot
    assert "corrected to pivot" in ext.notes.rationale


def test_evidence_floors_lift_a_baseless_off() -> None:
    from tools.intent_signals import EvidenceAlignment

    evidence = EvidenceAlignment(anchor_vs_serp=1.0, target_vs_serp=0.7, publisher_vs_serp=0.3)
    ext, decision = gate(sentinel(A.off, A.off, B.strong), C.high, evidence)
    alignment = ext.intent_alignment
    assert (alignment.anchor_vs_serp, alignment.target_vs_serp) == (A.aligned, A.aligned)
    assert alignment.publisher_vs_serp is A.partial
    assert alignment.overall is A.partial
    assert decision.action == "write"
    assert "lifted" in ext.notes.rationale


def test_evidence_never_lowers_the_verdict() -> None:
    from tools.intent_signals import EvidenceAlignment

    evidence = EvidenceAlignment(anchor_vs_serp=0.0, target_vs_serp=0.0, publisher_vs_serp=0.0)
    ext, _ = gate(sentinel(), C.high, evidence)
    assert ext.intent_alignment.overall is A.aligned
