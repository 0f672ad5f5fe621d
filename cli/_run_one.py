"""`bacowr run-one`: one job through the graph, printed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown

from cli._qc import print_report
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import load_settings
from services.single_run import run_one


def run_one_command(
    publisher: str,
    target: str,
    anchor: str,
    research_dir: Path | None,
    language: str,
    vertical: str | None,
    as_json: bool,
) -> int:
    """Run the job and print it; return the exit code (0 passed, 1 otherwise)."""
    job = InputMinimal(publisher_domain=publisher, target_url=target, anchor_text=anchor)
    constraints = GenerationConstraints.model_validate({"language": language, "vertical": vertical})
    settings = load_settings()
    state, article = asyncio.run(run_one(settings, job, constraints, research_dir))
    if as_json:
        print(
            json.dumps(
                {
                    "job_id": state.job_id,
                    "outcome": state.outcome,
                    "reasons": state.outcome_reasons,
                    "article": article.markdown if article else None,
                    "qc": state.qc.model_dump(mode="json") if state.qc else None,
                    "usage": {k: v.model_dump() for k, v in state.usage.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        console = Console()
        if article is not None:
            console.print(Markdown(article.markdown))
        if state.qc is not None:
            print_report(state.qc, console)
        outcome = state.outcome.value if state.outcome else "unknown"
        console.print(f"[bold]Outcome:[/] {outcome}  " + "; ".join(state.outcome_reasons))
    return 0 if state.outcome and state.outcome.value == "passed" else 1
