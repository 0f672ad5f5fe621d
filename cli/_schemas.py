"""The models `bacowr schema export` writes."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.agent_outputs import ResearcherOutput, SentinelOutput
from schemas.article import ArticleDraft
from schemas.evidence import ResearchEvidence
from schemas.job_package import JobPackage
from schemas.qc import QCReport, QCRubric
from schemas.state import JobState
from tools.research.recorded import Snapshot


def exported_models() -> dict[str, type[BaseModel]]:
    """Return every exported model by file name."""
    return {
        "job_package": JobPackage,
        "article_draft": ArticleDraft,
        "qc_report": QCReport,
        "qc_rubric": QCRubric,
        "researcher_output": ResearcherOutput,
        "sentinel_output": SentinelOutput,
        "job_state": JobState,
        "research_evidence": ResearchEvidence,
        "research_snapshot": Snapshot,
    }
