"""`bacowr run`, `bacowr worker` and `bacowr batch ...`: batches on the Postgres ledger."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from cli._batch_run import run_file
from cli._common import fail, with_runtime

batch_app = typer.Typer(help="Inspect and steer batches.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the batch commands to the main app."""
    app.command("run")(run)
    app.command("worker")(worker)
    app.add_typer(batch_app, name="batch")


def run(
    file: Annotated[Path, typer.Argument(help="Jobs as CSV, JSON or JSONL.")],
    concurrency: Annotated[int, typer.Option(min=1, max=1000, help="Jobs at once.")] = 4,
    out: Annotated[Path, typer.Option(help="Export folder.")] = Path("out"),
    research_dir: Annotated[
        Path | None, typer.Option(help="Replay recorded research from this folder.")
    ] = None,
) -> None:
    """Run a batch in-process to the end, with progress, then export it.

    Ctrl-C stops at the next node boundary; running the same file again picks up there.
    """
    if not file.is_file():
        raise fail(f"{file} is not a file")
    if research_dir is not None and not research_dir.is_dir():
        raise fail(f"{research_dir} is not a folder")
    code = asyncio.run(
        run_file(
            file, file.read_bytes(), concurrency=concurrency, out=out, research_dir=research_dir
        )
    )
    raise typer.Exit(code)


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=1000, help="Jobs at once.")] = 4,
    lease_s: Annotated[float, typer.Option(help="Lease length in seconds.")] = 30.0,
) -> None:
    """Claim and run queued jobs from the shared database until stopped (Ctrl-C)."""
    from cli._batch_run import run_worker

    asyncio.run(run_worker(concurrency=concurrency, lease_s=lease_s))


@batch_app.command("status")
def status(batch_id: str) -> None:
    """Show a batch's counts by status, throughput and ETA."""
    from services.batches import progress

    result = with_runtime(lambda rt: progress(rt, batch_id))
    typer.echo(
        f"{result.batch_id} {result.status}: {result.done}/{result.total} done, "
        + ", ".join(f"{k} {v}" for k, v in result.counts.items() if v)
        + f"; {result.throughput_per_min}/min"
        + (f"; ETA {result.eta_s:.0f} s" if result.eta_s is not None else "")
    )


@batch_app.command("cancel")
def cancel(batch_id: str) -> None:
    """Start no new jobs of the batch; running ones stop at their next node boundary."""
    from services.batches import cancel_batch

    batch = with_runtime(lambda rt: cancel_batch(rt, batch_id))
    typer.echo(f"{batch.id} cancelled: {batch.counts}")


@batch_app.command("resume")
def resume(batch_id: str) -> None:
    """Queue a cancelled batch again; its jobs continue from their checkpoints."""
    from services.batches import resume_batch

    batch = with_runtime(lambda rt: resume_batch(rt, batch_id))
    typer.echo(f"{batch.id} resumed: {batch.counts} (run `bacowr worker` to process it)")


@batch_app.command("export")
def export(batch_id: str, out: Annotated[Path, typer.Option()] = Path("out")) -> None:
    """Write the batch's articles, packages, report.csv and errors.csv, and a zip."""
    from services.batch_results import export_results

    paths = with_runtime(lambda rt: export_results(rt, batch_id, out))
    typer.echo(f"{paths.folder}\n{paths.zip_path}")
