"""The in-process batch run behind `bacowr run`, with a live progress display."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from schemas.settings import load_settings
from services.batch_import import BatchFileError, parse_batch
from services.batch_results import export_results
from services.batches import (
    BatchProgress,
    batch_id_for,
    cancel_batch,
    progress,
    resume_batch,
    submit_batch,
)
from services.runtime import AppRuntime, open_runtime
from services.worker import Worker
from storage.records import BatchStatus


def _render(p: BatchProgress) -> Table:
    table = Table(title=f"batch {p.batch_id} — {p.status}", expand=False)
    for column in ("done", *p.counts.keys(), "per min", "ETA"):
        table.add_column(column, justify="right")
    eta = f"{p.eta_s:.0f} s" if p.eta_s is not None else "–"
    table.add_row(
        f"{p.done}/{p.total}", *(str(v) for v in p.counts.values()), str(p.throughput_per_min), eta
    )
    return table


async def _watch(rt: AppRuntime, batch_id: str, live: Live, done: asyncio.Event) -> None:
    while not done.is_set():
        with contextlib.suppress(Exception):  # a display hiccup must not stop the batch
            live.update(_render(await progress(rt, batch_id)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 1.0)


async def run_file(
    file: Path, data: bytes, *, concurrency: int, out: Path, research_dir: Path | None = None
) -> int:
    """Submit the file as a batch (idempotently), run it to the end, export it; return a code."""
    console = Console()
    try:
        parsed = parse_batch(data, file.name)
    except BatchFileError as exc:
        console.print(f"[red]error:[/] {file}: {exc.message}")
        return 2
    settings = load_settings(**({"research_dir": research_dir} if research_dir else {}))
    async with open_runtime(settings) as rt:
        submitted = await submit_batch(
            rt, parsed, name=file.name, batch_id=batch_id_for(data), concurrency=concurrency
        )
        batch_id = submitted.batch.id
        for row in submitted.rejected:
            console.print(f"[yellow]row {row.row_number} rejected:[/] {row.reason}")
        if submitted.batch.status is BatchStatus.cancelled:
            await resume_batch(rt, batch_id)
        elif not submitted.created:
            console.print(f"continuing batch {batch_id} where it stopped")
        worker = Worker(
            rt,
            concurrency=concurrency,
            batch_id=batch_id,
            max_attempts=settings.max_job_attempts,
        )
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task[object]] = set()

        def interrupt() -> None:
            if worker.stop.is_set():
                raise KeyboardInterrupt
            console.print("[yellow]stopping at the next node boundary (Ctrl-C again to quit)")
            pending.add(loop.create_task(cancel_batch(rt, batch_id)))
            worker.stop.set()

        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, interrupt)
        done = asyncio.Event()
        with Live(console=console, refresh_per_second=2) as live:
            watcher = asyncio.create_task(_watch(rt, batch_id, live, done))
            await worker.run(until_idle=True)
            if pending:
                await asyncio.gather(*pending)
            done.set()
            await watcher
            final = await progress(rt, batch_id)
            live.update(_render(final))
        if worker.stop.is_set():
            console.print(f"stopped; run `bacowr run {file}` again to continue")
            return 130
        paths = await export_results(rt, batch_id, out)
        console.print(f"exported to {paths.folder} and {paths.zip_path}")
        return 0 if final.counts["failed"] == 0 else 1


async def run_worker(*, concurrency: int, lease_s: float) -> None:
    """Run a worker until Ctrl-C or SIGTERM, stopping its jobs at node boundaries."""
    settings = load_settings()
    async with open_runtime(settings) as rt:
        worker = Worker(
            rt, concurrency=concurrency, lease_s=lease_s, max_attempts=settings.max_job_attempts
        )
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, worker.stop.set)
        typer.echo(f"worker {worker.owner} running (concurrency {concurrency})")
        await worker.run()
