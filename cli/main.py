"""The `bacowr` command line."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from cli.batch import register as register_batch_commands
from cli.db import db_app
from cli.llm import llm_app
from cli.research import research_app
from cli.review import review_app
from cli.serve import serve

app = typer.Typer(
    name="bacowr",
    help="Write Next-A1 backlink articles with a multi-agent LLM graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
schema_app = typer.Typer(help="JSON Schemas of bacowr's models.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.add_typer(llm_app, name="llm")
app.add_typer(research_app, name="research")
register_batch_commands(app)
app.add_typer(review_app, name="review")
app.add_typer(db_app, name="db")
app.command("serve")(serve)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@schema_app.command("export")
def schema_export(directory: Annotated[Path, typer.Argument(help="Folder to write into.")]) -> None:
    """Write the JSON Schema of each model (job package, article, QC report, state, ...)."""
    from cli._schemas import exported_models

    directory.mkdir(parents=True, exist_ok=True)
    for name, model in exported_models().items():
        path = directory / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
        typer.echo(str(path))


@app.command()
def qc(
    article: Annotated[Path, typer.Argument(help="The article, in markdown.")],
    job: Annotated[Path, typer.Option("--job", help="The complete job package (JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the QC report as JSON.")] = False,
    llm: Annotated[bool, typer.Option("--llm", help="Add the LLM rubric (needs a model).")] = False,
) -> None:
    """Score an article against a complete job package (Next-A1 QC)."""
    from cli._qc import load_inputs, print_report, score_article

    try:
        markdown, package = load_inputs(article, job)
        report = asyncio.run(score_article(markdown, package, use_llm=llm))
    except (OSError, ValidationError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_report(report)
    raise typer.Exit(0 if report.status.value == "PASS" else 1)


@app.command("run-one")
def run_one(
    publisher: Annotated[str, typer.Option(help="Publisher domain, e.g. villaliv.se")],
    target: Annotated[str, typer.Option(help="Target URL the link points to.")],
    anchor: Annotated[str, typer.Option(help="Anchor text of the link.")],
    research_dir: Annotated[
        Path | None, typer.Option(help="Replay recorded research from this folder.")
    ] = None,
    language: Annotated[str, typer.Option(help="Article language: sv, en, no, da.")] = "sv",
    vertical: Annotated[str | None, typer.Option(help="finance, gambling, health, ...")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Run one job through the graph (in-memory checkpoints); print the article and QC report."""
    from cli._run_one import run_one_command

    try:
        code = run_one_command(publisher, target, anchor, research_dir, language, vertical, as_json)
    except ValidationError as exc:
        raise _fail(_validation_message(exc)) from exc
    raise typer.Exit(code)


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )


def main() -> None:
    """Entry point with logging set up."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


__all__ = ["app", "main"]
