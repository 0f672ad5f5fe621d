"""Scripted role answers for the recorded villaliv.se -> laddhemma.se job (examples/research)."""

from __future__ import annotations

from pathlib import Path

from schemas.agent_outputs import (
    AnchorJudgement,
    PublisherJudgement,
    ResearcherOutput,
    SentinelOutput,
    SerpSetJudgement,
    TargetJudgement,
)
from schemas.enums import (
    AlignmentLevel,
    AnchorType,
    BridgeType,
    Commerciality,
    Intent,
    PageArchetype,
    ToneClass,
)
from schemas.job_package import InputMinimal
from schemas.qc import QCRubric, RubricItem

ROOT = Path(__file__).resolve().parents[2]
RESEARCH_DIR = ROOT / "examples" / "research"
TARGET = "https://www.laddhemma.se/laddbox-villa"
JOB = InputMinimal(
    publisher_domain="villaliv.se", target_url=TARGET, anchor_text="laddbox till villan"
)
THIN_JOB = InputMinimal(
    publisher_domain="okandblogg.se",
    target_url="https://www.example-shop.se/borttagen-sida",
    anchor_text="billiga produkter",
)
GENERIC_JOB = InputMinimal(
    publisher_domain="smabarnsliv.se",
    target_url="https://www.tandvardskollen.se/barntandvard",
    anchor_text="läs mer här",
)
QUERIES = [
    "laddbox till villan",
    "laddbox för villa",
    "köp laddbox till villa med installation",
]


def researcher() -> ResearcherOutput:
    """The Researcher's judgement of the recorded evidence."""
    return ResearcherOutput(
        target=TargetJudgement(
            core_entities=["laddbox", "elbil", "elinstallatör", "jordfelsbrytare"],
            core_topics=["laddeffekt", "lastbalansering", "huvudsäkring", "laddkabel"],
            core_offer="Laddbox med installation för villa",
            candidate_main_queries=["laddbox villa", "installera laddbox"],
        ),
        publisher=PublisherJudgement(
            topic_focus=["hus och hem", "energi"],
            audience="villaägare",
            tone_class=ToneClass.consumer_magazine,
            allowed_commerciality=Commerciality.medium,
        ),
        anchor=AnchorJudgement(type=AnchorType.exact, implied_intent=Intent.commercial_research),
        serp_sets=[
            SerpSetJudgement(
                query=q,
                dominant_intent=Intent.commercial_research,
                page_archetypes=[PageArchetype.guide, PageArchetype.category],
                required_subtopics=["laddeffekt", "installation"],
            )
            for q in QUERIES
        ],
        queries_rationale="anchor, H1 and title of the target",
    )


def sentinel(
    overall: AlignmentLevel = AlignmentLevel.aligned,
    parts: AlignmentLevel = AlignmentLevel.aligned,
    bridge: BridgeType = BridgeType.strong,
) -> SentinelOutput:
    """The sentinel's verdict; aligned and strong unless told otherwise."""
    return SentinelOutput(
        serp_intent_primary=Intent.commercial_research,
        target_page_intent=Intent.transactional,
        anchor_implied_intent=Intent.commercial_research,
        publisher_role_intent=Intent.info_primary,
        anchor_vs_serp=parts,
        target_vs_serp=parts,
        publisher_vs_serp=parts,
        overall=overall,
        recommended_bridge_type=bridge,
        recommended_article_angle="En köpguide för villaägare: effekt, installation, säkerhet.",
        required_subtopics=["laddeffekt", "elinstallatör", "lastbalansering"],
        forbidden_angles=["garanterad besparing"],
        rationale="SERP domineras av köpguider.",
    )


def rubric(score: int, note: str = "ok") -> QCRubric:
    """A QC rubric giving DRAFT, INTENT and FIT the same score."""
    fix = "" if score >= 80 else f"improve ({note})"
    return QCRubric(
        items=[
            RubricItem(criterion=c, score=score, finding=f"{c} {note} {score}", fix=fix)
            for c in ("DRAFT", "INTENT", "FIT")
        ]
    )


def good_article() -> str:
    """A compliant Swedish article for the job (examples/qc/article.md, retargeted)."""
    text = (ROOT / "examples" / "qc" / "article.md").read_text(encoding="utf-8")
    return text.replace("https://www.example.se/elbil/laddbox", TARGET)


def short_article() -> str:
    """A 400-word-ish draft with no target link: DRAFT and ANCHOR fail."""
    body = " ".join(good_article().split()[:400])
    return body.replace(f"]({TARGET})", "]").replace("[laddbox till villan", "laddbox till villan")
