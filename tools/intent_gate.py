"""The Intent Sentinel's gate rules (NEXT_A1 §3-§4), as pure functions."""

from __future__ import annotations

from schemas.agent_outputs import SentinelOutput
from schemas.enums import AlignmentLevel, BridgeType, DataConfidence
from schemas.job_package import IntentAlignment, IntentExtension, IntentNotes
from schemas.state import SentinelDecision
from tools.intent_signals import EvidenceAlignment, higher

__all__ = ["gate", "low_confidence_decision"]

OFF = AlignmentLevel.off
PARTIAL = AlignmentLevel.partial


def low_confidence_decision() -> SentinelDecision:
    """The decision when research found too little: research again (the router caps it)."""
    return SentinelDecision(
        action="research",
        reasons=["data_confidence is low: research found too little to derive intent from"],
    )


def _apply_floors(
    verdict: SentinelOutput, evidence: EvidenceAlignment | None
) -> tuple[SentinelOutput, list[str]]:
    if evidence is None:
        return verdict, []
    notes: list[str] = []
    lifted: dict[str, AlignmentLevel] = {}
    for name in ("anchor_vs_serp", "target_vs_serp", "publisher_vs_serp"):
        said: AlignmentLevel = getattr(verdict, name)
        level = higher(said, evidence.floor(name))
        if level is not said:
            lifted[name] = level
            notes.append(f"{name} lifted from {said.value} to {level.value} by SERP overlap")
    if not lifted:
        return verdict, notes
    parts = [lifted.get(n, getattr(verdict, n)) for n in ("anchor_vs_serp", "target_vs_serp")]
    parts.append(lifted.get("publisher_vs_serp", verdict.publisher_vs_serp))
    floor_overall = min(
        parts, key=(AlignmentLevel.off, AlignmentLevel.partial, AlignmentLevel.aligned).index
    )
    lifted["overall"] = higher(verdict.overall, floor_overall)
    return verdict.model_copy(update=lifted), notes


def gate(
    verdict: SentinelOutput,
    confidence: DataConfidence,
    evidence: EvidenceAlignment | None = None,
) -> tuple[IntentExtension, SentinelDecision]:
    """Apply the gate rules to the sentinel's verdict; return the intent extension and decision.

    - low data confidence never proceeds to writing;
    - all three alignments `off`: nothing ties publisher, target and search intent: refuse;
    - overall `off` is never written as-is: it needs a wrapper, or a pivot with at least one
      `partial` alignment, and an article angle to carry the bridge. A `strong` (or unsupported
      `pivot`) bridge is corrected to `wrapper` when the target itself is not off the SERP
      (a neutral frame can then carry the link); otherwise the job is refused;
    - a `strong` bridge with any alignment `off` is corrected to `pivot` (recorded).

    `evidence` (lexical overlap with the SERP) lifts alignments the data plainly supports, so a
    model cannot refuse a job on an `off` that the evidence contradicts.
    """
    verdict, lift_notes = _apply_floors(verdict, evidence)
    alignment = IntentAlignment(
        anchor_vs_serp=verdict.anchor_vs_serp,
        target_vs_serp=verdict.target_vs_serp,
        publisher_vs_serp=verdict.publisher_vs_serp,
        overall=verdict.overall,
    )
    parts = (alignment.anchor_vs_serp, alignment.target_vs_serp, alignment.publisher_vs_serp)
    bridge = verdict.recommended_bridge_type
    notes: list[str] = list(lift_notes)
    reasons: list[str] = []
    if confidence is DataConfidence.low:
        decision = low_confidence_decision()
    elif all(p is OFF for p in parts):
        reasons.append("anchor, target and publisher are all off the search intent")
    elif alignment.overall is OFF:
        unsupported = bridge is BridgeType.strong or (
            bridge is BridgeType.pivot and PARTIAL not in parts
        )
        if unsupported and alignment.target_vs_serp is OFF:
            reasons.append(
                "overall alignment is off and no pivot or wrapper bridge fits: "
                "the target page is off the search intent too"
            )
        elif unsupported:
            notes.append(f"{bridge.value} bridge corrected to wrapper: overall alignment is off")
            bridge = BridgeType.wrapper
        if not reasons and not verdict.recommended_article_angle.strip():
            reasons.append(f"overall alignment is off and the {bridge.value} bridge has no angle")
    if bridge is BridgeType.strong and OFF in parts and not reasons:
        bridge = BridgeType.pivot
        notes.append("strong bridge corrected to pivot because one alignment is off")
    if confidence is not DataConfidence.low:
        decision = (
            SentinelDecision(action="refuse", reasons=reasons)
            if reasons
            else SentinelDecision(action="write", reasons=notes)
        )
    rationale = " ".join([verdict.rationale.strip(), *notes]).strip()
    extension = IntentExtension(
        serp_intent_primary=verdict.serp_intent_primary,
        serp_intent_secondary=verdict.serp_intent_secondary,
        target_page_intent=verdict.target_page_intent,
        anchor_implied_intent=verdict.anchor_implied_intent,
        publisher_role_intent=verdict.publisher_role_intent,
        intent_alignment=alignment,
        recommended_bridge_type=bridge,
        recommended_article_angle=verdict.recommended_article_angle,
        required_subtopics=verdict.required_subtopics,
        forbidden_angles=verdict.forbidden_angles,
        notes=IntentNotes(rationale=rationale, data_confidence=confidence),
    )
    return extension, decision
