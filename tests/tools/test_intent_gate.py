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
        (A.off, A.aligned, B.strong, "refuse", "no pivot or wrapper"),
        (A.off, A.aligned, B.pivot, "refuse", "pivot needs a partial"),
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
