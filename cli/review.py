"""`bacowr review list|show|approve|reject|revise`: the human review queue."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown

from cli._common import with_runtime
from schemas.state import ReviewDecision

review_app = typer.Typer(help="Decide jobs that ended needs_review.", no_args_is_help=True)


@review_app.command("list")
def list_cmd() -> None:
    """List jobs waiting for a decision."""
    from services.reviews import list_reviews

    jobs = with_runtime(lambda rt: list_reviews(rt))
    if not jobs:
        typer.echo("no jobs waiting for review")
    for job in jobs:
        score = f"{job.qc_score:.1f}" if job.qc_score is not None else "-"
        reasons = "; ".join(job.outcome_reasons)[:120]
        typer.echo(f"{job.id}  QC {score}  {job.input.input_minimal.publisher_domain}  {reasons}")


@review_app.command("show")
def show(job_id: str) -> None:
    """Show a job under review: its reasons, QC report and article."""
    from cli._qc import print_report
    from services.reviews import show_review

    item = with_runtime(lambda rt: show_review(rt, job_id))
    console = Console()
    console.print(
        f"[bold]{item.job.id}[/] {item.job.status.value}: " + "; ".join(item.job.outcome_reasons)
    )
    if item.article is not None:
        if item.article.qc_report is not None:
            print_report(item.article.qc_report, console)
        console.print(Markdown(item.article.markdown))


def _decide(job_id: str, decision: ReviewDecision) -> None:
    from services.reviews import decide

    result = with_runtime(lambda rt: decide(rt, job_id, decision), llm=decision.action == "revise")
    outcome = result.state.outcome.value if result.state and result.state.outcome else result.status
    typer.echo(f"{job_id}: {outcome}")


Notes = Annotated[str, typer.Option("--notes", help="The reviewer's notes.")]


@review_app.command("approve")
def approve(job_id: str, notes: Notes = "") -> None:
    """Approve the article as is (the job passes)."""
    _decide(job_id, ReviewDecision(action="approve", notes=notes))


@review_app.command("reject")
def reject(job_id: str, notes: Notes = "") -> None:
    """Reject the article (the job ends refused)."""
    _decide(job_id, ReviewDecision(action="reject", notes=notes))


@review_app.command("revise")
def revise(job_id: str, notes: Notes) -> None:
    """Revise again with the reviewer's notes (runs the reviser and QC now)."""
    _decide(job_id, ReviewDecision(action="revise", notes=notes))
