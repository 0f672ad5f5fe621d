"""The pooled checkpointer under concurrency: every thread's history intact, resume exact."""

from __future__ import annotations

import asyncio
import itertools
import operator
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from psycopg_pool import AsyncConnectionPool

from storage._saver import PooledPostgresSaver
from storage.checkpointer import open_checkpointer

pytestmark = pytest.mark.postgres

STEPS = ("one", "two", "three", "four")


class _State(TypedDict):
    steps: Annotated[list[str], operator.add]
    payload: dict[str, Any]


def _chain(saver: AsyncPostgresSaver, *, pause_at: str | None = None) -> Any:
    """A linear graph one -> two -> three -> four; `pause_at` interrupts inside that node."""
    graph = StateGraph(_State)

    def node(name: str) -> Any:
        async def run(state: _State) -> dict[str, Any]:
            await asyncio.sleep(0)  # let the other threads' writes interleave
            if name == pause_at:
                interrupt({"at": name})
            return {"steps": [name], "payload": {"last": name, "blob": name * 50}}

        return run

    for name in STEPS:
        graph.add_node(name, node(name))
    graph.add_edge(START, STEPS[0])
    for a, b in itertools.pairwise(STEPS):
        graph.add_edge(a, b)
    graph.add_edge(STEPS[-1], END)
    return graph.compile(checkpointer=saver)


@pytest.fixture
async def saver(pg_checkpointer: AsyncPostgresSaver) -> AsyncPostgresSaver:
    assert isinstance(pg_checkpointer, PooledPostgresSaver)
    return pg_checkpointer


def _config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


async def test_concurrent_threads_keep_their_own_history(saver: AsyncPostgresSaver) -> None:
    app = _chain(saver)
    threads = [f"job_{i}" for i in range(40)]

    async def run(thread: str) -> None:
        await app.ainvoke({"steps": [], "payload": {}}, _config(thread), durability="sync")

    await asyncio.gather(*(run(t) for t in threads))
    for thread in threads:
        state = await app.aget_state(_config(thread))
        assert state.values["steps"] == list(STEPS)
        assert state.values["payload"] == {"last": "four", "blob": "four" * 50}
        assert state.next == ()
        history = [s async for s in app.aget_state_history(_config(thread))]
        # input + one checkpoint per node, newest first, each the child of the next one
        assert [len(s.values.get("steps", [])) for s in history] == [4, 3, 2, 1, 0, 0]
        ids = [s.config["configurable"]["checkpoint_id"] for s in history]
        parents = [s.parent_config["configurable"]["checkpoint_id"] for s in history[:-1]]
        assert parents == ids[1:]
        assert {s.config["configurable"]["thread_id"] for s in history} == {thread}


async def test_concurrent_puts_on_one_saver_all_land(saver: AsyncPostgresSaver) -> None:
    """Many graph runs' writes in flight at once through one saver (more than its pool)."""
    app = _chain(saver)
    threads = [f"burst_{i}" for i in range(25)]
    await asyncio.gather(
        *(
            app.ainvoke({"steps": [], "payload": {}}, _config(t), durability="async")
            for t in threads
        )
    )
    for thread in threads:
        assert (await app.aget_state(_config(thread))).values["steps"] == list(STEPS)


async def test_resume_after_interrupt_continues_from_the_right_checkpoint(
    saver: AsyncPostgresSaver,
) -> None:
    paused = _chain(saver, pause_at="three")
    threads = [f"pause_{i}" for i in range(10)]
    await asyncio.gather(
        *(
            paused.ainvoke({"steps": [], "payload": {}}, _config(t), durability="sync")
            for t in threads
        )
    )
    for thread in threads:
        state = await paused.aget_state(_config(thread))
        assert state.values["steps"] == ["one", "two"]
        assert state.next == ("three",)
    await asyncio.gather(
        *(paused.ainvoke(Command(resume=True), _config(t), durability="sync") for t in threads)
    )
    for thread in threads:
        state = await paused.aget_state(_config(thread))
        assert state.values["steps"] == list(STEPS)
        assert state.next == ()


async def test_a_new_process_resumes_where_a_crashed_run_stopped(postgres_url: str) -> None:
    """Stop a run mid-way (as a crash would), then resume it on a fresh saver and pool."""
    thread = "crashed_job"
    async with open_checkpointer(postgres_url, max_size=2) as first:
        app = _chain(first)
        async for update in app.astream(
            {"steps": [], "payload": {}}, _config(thread), durability="sync", stream_mode="updates"
        ):
            if "two" in update:
                break  # the process dies after node two's checkpoint
    async with open_checkpointer(postgres_url, max_size=2) as second:
        app = _chain(second)
        state = await app.aget_state(_config(thread))
        assert state.values["steps"] == ["one", "two"]
        assert state.next == ("three",)
        final = await app.ainvoke(None, _config(thread), durability="sync")
        assert final["steps"] == list(STEPS)


@pytest.mark.parametrize(("durable", "setting"), [(False, "off"), (True, "on")])
async def test_checkpoint_commits_are_asynchronous_unless_durable(
    postgres_url: str, durable: bool, setting: str
) -> None:
    async with open_checkpointer(postgres_url, max_size=2, durable=durable) as saver:
        app = _chain(saver)
        await app.ainvoke({"steps": [], "payload": {}}, _config(setting), durability="sync")
        assert (await app.aget_state(_config(setting))).values["steps"] == list(STEPS)
        assert isinstance(saver.conn, AsyncConnectionPool)
        async with saver.conn.connection() as conn:
            row = await (await conn.execute("SHOW synchronous_commit")).fetchone()
        assert row is not None and next(iter(row.values())) == setting
