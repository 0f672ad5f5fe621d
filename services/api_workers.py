"""The API process's own background work: in-process workers and review revisions.

Started by the app's lifespan and stopped on shutdown: workers stop at the next node boundary
(the checkpoint is durable, so another worker or the next start resumes there); revisions
still running are cancelled and resume from their last checkpoint when retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from services.metrics_llm import LLMObserver, observe_llm_calls
from services.observability import log_context
from services.runtime import AppRuntime
from services.worker import Worker
from storage.records import Job

__all__ = ["BackgroundWork", "ContextWorker"]

log = logging.getLogger(__name__)


class ContextWorker(Worker):
    """A worker whose jobs log with their job and batch ids bound."""

    async def _run_job(self, job: Job) -> None:
        with log_context(job_id=job.id, batch_id=job.batch_id):
            await super()._run_job(job)


class BackgroundWork:
    """Own the worker task and the spawned tasks of one app; stop them all on shutdown."""

    def __init__(
        self,
        rt: AppRuntime,
        *,
        concurrency: int,
        observer: LLMObserver | None = None,
        lease_s: float = 30.0,
        poll_s: float = 0.5,
    ) -> None:
        self.rt = rt
        self.concurrency = concurrency
        self.observer = observer
        self.worker: Worker | None = None
        self._lease_s = lease_s
        self._poll_s = poll_s
        self._worker_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def _create(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        observer = self.observer
        with observe_llm_calls(observer) if observer is not None else contextlib.nullcontext():
            # The task copies this context: LLM calls inside it report to the observer.
            return asyncio.create_task(coro, name=name)

    def start(self) -> None:
        """Start the in-process workers (none when concurrency is 0)."""
        if self.concurrency <= 0:
            return
        self.worker = ContextWorker(
            self.rt,
            concurrency=self.concurrency,
            lease_s=self._lease_s,
            poll_s=self._poll_s,
            max_attempts=self.rt.settings.max_job_attempts,
        )
        self._worker_task = self._create(self.worker.run(), "api-worker")
        self._worker_task.add_done_callback(self._finished)
        log.info("started %d in-process worker slot(s) as %s", self.concurrency, self.worker.owner)

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Run `coro` in the background until it ends or the app shuts down."""
        task = self._create(coro, name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def active(self, name: str) -> bool:
        """True while a spawned task of that name runs."""
        return any(task.get_name() == name for task in self._tasks)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background task %s failed: %s", task.get_name(), exc)

    async def stop(self, *, timeout_s: float = 30.0) -> None:
        """Stop the workers at their next node boundary; cancel unfinished spawned tasks."""
        if self.worker is not None:
            self.worker.stop.set()
        if self._worker_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._worker_task), timeout_s)
            except TimeoutError:
                log.warning("workers did not stop within %.0f s; cancelling", timeout_s)
                self._worker_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._worker_task
            except Exception:  # already logged by _finished when the worker died
                pass
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
