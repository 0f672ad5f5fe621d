"""`bacowr qc`: score an article file against a job package file."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from agents.prompts import PromptLoader
from agents.roles import build_role_agents
from nodes._brief import qc_variables
from schemas.job_package import JobPackage
from schemas.qc import QCReport
from schemas.settings import load_settings
from services.llm_runtime import open_llm
from tools.qc import review_article


def load_inputs(article: Path, job: Path) -> tuple[str, JobPackage]:
    """Read an article and a complete job package; raise ValueError when incomplete."""
    markdown = article.read_text(encoding="utf-8")
    package = JobPackage.model_validate(json.loads(job.read_text(encoding="utf-8")))
    if not package.is_complete:
        raise ValueError(f"{job} is not a complete job package (research and intent missing)")
    return markdown, package


async def score_article(markdown: str, package: JobPackage, *, use_llm: bool) -> QCReport:
    """Return the QC report of an article; with `use_llm`, blend in the QC Reviewer's rubric."""
    rubric = None
    if use_llm:
        settings = load_settings()
        async with open_llm(settings) as llm:
            agents = build_role_agents(PromptLoader(settings.prompts_dir), llm.chains)
            result = await agents.qc_reviewer.run(qc_variables(markdown, package))
            rubric = result.output
    return review_article(markdown, package, rubric=rubric)


def print_report(report: QCReport, console: Console | None = None) -> None:
    """Print a QC report as a table with findings and fixes."""
    console = console or Console()
    table = Table(title=f"QC {report.overall:.1f} / 100 — {report.status.value}")
    for column in ("criterion", "score", "status", "findings", "fix"):
        table.add_column(column, overflow="fold")
    for item in report.criteria:
        table.add_row(
            item.criterion.value,
            f"{item.score:.0f}",
            item.status.value,
            "\n".join(item.findings) or "-",
            item.fix or "-",
        )
    console.print(table)
    if report.human_review.required:
        console.print("[bold yellow]Human review:[/] " + "; ".join(report.human_review.reasons))
