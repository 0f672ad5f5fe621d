"""Workers: claim jobs from the Postgres ledger under a lease and run them concurrently.

A worker runs at most `concurrency` jobs at once (an asyncio.Semaphore), highest priority
first, then oldest. Several worker processes, on one or more machines, share one database:
a job is claimed with FOR UPDATE SKIP LOCKED and held under a lease that the worker renews
while the job runs; a dead worker's jobs are taken over when their lease expires (or at once
by a worker on the same host that sees the owning process is gone).

Why not a task queue such as procrastinate: the job ledger already is the queue. Claiming is
one UPDATE on the job's own row, so the lease, the status the API shows and the exactly-once
final commit live in one table and one transaction, with no second queue to keep in step.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable

from agents.budget import BatchBudget
from schemas.state import JobFailure
from services._db_errors import DATABASE_ERRORS, is_database_outage
from services.execution import ExecutionResult, execute_job
from services.maintenance import prune_checkpoints
from services.runtime import AppRuntime
from storage.records import BatchStatus, Job

__all__ = ["Worker", "is_database_outage", "worker_owner"]

log = logging.getLogger(__name__)


def worker_owner() -> str:
    """Return this process's lease owner name: host, pid and a random token."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Worker:
    """Claim and run jobs until stopped (or, with `until_idle`, until nothing is left)."""

    def __init__(
        self,
        rt: AppRuntime,
        *,
        concurrency: int = 4,
        batch_id: str | None = None,
        lease_s: float = 30.0,
        poll_s: float = 0.5,
        max_attempts: int = 5,
        batch_budget: BatchBudget | None = None,
        on_result: Callable[[ExecutionResult], None] | None = None,
    ) -> None:
        self.rt = rt
        self.owner = worker_owner()
        self.concurrency = concurrency
        self.batch_id = batch_id
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.max_attempts = max_attempts
        self.batch_budget = batch_budget
        self.on_result = on_result
        self.stop = asyncio.Event()
        self.running: dict[str, asyncio.Event] = {}

    async def reclaim_dead_local_leases(self) -> int:
        """Requeue jobs leased to processes of this host that no longer exist."""
        host = socket.gethostname() + ":"
        freed = 0
        for job_id, owner in await self.rt.leases.live_leases(host):
            pid = int(owner.split(":")[1]) if owner.count(":") >= 2 else -1
            if pid != os.getpid() and not _pid_alive(pid):
                freed += bool(await self.rt.leases.release_lease(job_id, owner, requeue=True))
        return freed

    async def run(self, *, until_idle: bool = False) -> None:
        """Claim jobs and run them, at most `concurrency` at a time."""
        await self.reclaim_dead_local_leases()
        slots = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        pruner = asyncio.create_task(self._prune_periodically())
        try:
            while not self.stop.is_set():
                await slots.acquire()
                job = await self._claim()
                if job is None:
                    slots.release()
                    if until_idle and not tasks and await self._batch_idle():
                        break
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.stop.wait(), self.poll_s)
                    continue
                task = asyncio.create_task(self._run_job(job), name=f"job:{job.id}")
                tasks.add(task)

                def done(finished: asyncio.Task[None]) -> None:
                    tasks.discard(finished)
                    slots.release()

                task.add_done_callback(done)
        finally:
            pruner.cancel()
            for event in self.running.values():
                event.set()  # stop at the next node boundary
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _prune_periodically(self) -> None:
        """Prune finished jobs' checkpoints now and then; never running ones."""
        settings = self.rt.settings
        while True:
            try:
                result = await prune_checkpoints(self.rt)
                if result.checkpoints or result.blobs:
                    log.info("pruned checkpoints of %d finished jobs", result.jobs)
            except Exception as exc:  # pruning is housekeeping: never let it stop the worker
                log.warning("checkpoint pruning failed: %s", exc)
            await asyncio.sleep(settings.prune_interval_s)

    async def _claim(self) -> Job | None:
        try:
            return await self.rt.leases.claim_next(
                self.owner, lease_s=self.lease_s, batch_id=self.batch_id
            )
        except DATABASE_ERRORS as exc:
            log.warning("database unavailable while claiming: %s", exc)
            await asyncio.sleep(1.0)
            return None

    async def _batch_idle(self) -> bool:
        try:
            counts = await self.rt.jobs.count_by_status(batch_id=self.batch_id)
        except DATABASE_ERRORS:
            return False
        return not any(counts.get(s, 0) for s in ("queued", "running"))  # type: ignore[call-overload]

    async def _run_job(self, job: Job) -> None:
        stop = asyncio.Event()
        self.running[job.id] = stop
        keeper = asyncio.create_task(self._keep_lease(job, stop))
        try:
            if job.attempts > self.max_attempts:
                failure = JobFailure(
                    kind="attempts", message=f"gave up after {job.attempts - 1} attempts"
                )
                await self.rt.jobs.mark_failed(job.id, failure)
                return
            result = await self._execute(job, stop)
            if self.on_result is not None:
                self.on_result(result)
            if result.status == "stopped" and await self._cancelled(job):
                await self.rt.jobs.cancel(job.id)
        finally:
            keeper.cancel()
            self.running.pop(job.id, None)
            with contextlib.suppress(*DATABASE_ERRORS):
                await self.rt.leases.release_lease(job.id, self.owner, requeue=True)

    async def _execute(self, job: Job, stop: asyncio.Event) -> ExecutionResult:
        """Run the job; ride out a database outage by resuming from the last checkpoint."""
        while True:
            try:
                return await execute_job(self.rt, job, stop=stop, batch_budget=self.batch_budget)
            except Exception as exc:
                if not is_database_outage(exc):
                    raise
                if stop.is_set():
                    return ExecutionResult(job.id, "stopped")
                log.warning("job %s waits for the database: %s", job.id, exc)
                await asyncio.sleep(1.0)

    async def _cancelled(self, job: Job) -> bool:
        if job.batch_id is None:
            return self.stop.is_set()
        batch = await self.rt.batches.get(job.batch_id)
        return batch.status is BatchStatus.cancelled or self.stop.is_set()

    async def _keep_lease(self, job: Job, stop: asyncio.Event) -> None:
        """Renew the lease; stop the job when the lease is lost or its batch is cancelled."""
        while True:
            await asyncio.sleep(self.lease_s / 3)
            try:
                kept = await self.rt.leases.renew_lease(job.id, self.owner, lease_s=self.lease_s)
                if not kept or await self._cancelled(job):
                    stop.set()
                    return
            except DATABASE_ERRORS:
                continue
