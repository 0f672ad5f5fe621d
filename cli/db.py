"""`bacowr db ...`: database housekeeping."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from cli._common import with_runtime

db_app = typer.Typer(help="Database housekeeping.", no_args_is_help=True)


@db_app.command("prune")
def prune(
    older_than_days: Annotated[
        float | None, typer.Option(help="Jobs that ended at least this long ago.")
    ] = None,
    keep: Annotated[str | None, typer.Option(help="'last' or 'none'.")] = None,
) -> None:
    """Delete checkpoints of finished jobs (never of running, queued or reviewable ones)."""
    from services.maintenance import prune_checkpoints

    if keep not in (None, "last", "none"):
        raise typer.BadParameter("--keep must be 'last' or 'none'")
    policy: Literal["last", "none"] | None = keep  # type: ignore[assignment]
    result = with_runtime(
        lambda rt: prune_checkpoints(rt, older_than_days=older_than_days, keep=policy)
    )
    typer.echo(
        f"pruned {result.jobs} jobs: {result.checkpoints} checkpoints, {result.writes} writes, "
        f"{result.blobs} blobs"
    )


@db_app.command("stats")
def stats() -> None:
    """Print checkpoint rows and bytes per finished job."""
    from services.maintenance import checkpoint_stats

    result = with_runtime(lambda rt: checkpoint_stats(rt))
    typer.echo(
        f"{result.jobs} passed jobs: {result.rows_per_job:.1f} rows, "
        f"{result.bytes_per_job / 1024:.1f} KB per job"
    )
