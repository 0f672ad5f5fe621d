"""open_checkpointer: a working AsyncPostgresSaver that survives dropped connections."""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Iterator
from typing import Annotated, TypedDict

import psycopg
import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.graph import END, START, StateGraph

from storage.checkpointer import open_checkpointer
from tests.postgres import create_database, drop_database

pytestmark = pytest.mark.postgres


class _State(TypedDict):
    steps: Annotated[list[str], operator.add]


def _graph(saver: AsyncPostgresSaver):  # type: ignore[no-untyped-def]
    graph = StateGraph(_State)
    graph.add_node("one", lambda state: {"steps": ["one"]})
    graph.add_edge(START, "one")
    graph.add_edge("one", END)
    return graph.compile(checkpointer=saver)


async def test_checkpoints_persist_per_thread(pg_checkpointer: AsyncPostgresSaver) -> None:
    app = _graph(pg_checkpointer)
    config = {"configurable": {"thread_id": "job_1"}}
    await app.ainvoke({"steps": []}, config)
    await app.ainvoke({"steps": []}, config)
    state = await app.aget_state(config)
    assert state.values["steps"] == ["one", "one"]
    other = await app.aget_state({"configurable": {"thread_id": "job_2"}})
    assert other.values == {}


async def test_dropped_connections_are_replaced(
    postgres_url: str, pg_checkpointer: AsyncPostgresSaver
) -> None:
    app = _graph(pg_checkpointer)
    config = {"configurable": {"thread_id": "job_1"}}
    await app.ainvoke({"steps": []}, config)
    # Kill every other connection to the database, as a server restart or proxy would.
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as admin:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    await app.ainvoke({"steps": []}, config)
    assert (await app.aget_state(config)).values["steps"] == ["one", "one"]


@pytest.fixture
def fresh_url(postgres_server_url: str) -> Iterator[str]:
    url = create_database(postgres_server_url, prefix="bacowr_ckpt")
    try:
        yield url
    finally:
        drop_database(postgres_server_url, url)


async def test_concurrent_first_setup(fresh_url: str) -> None:
    async def open_and_use(thread: str) -> list[str]:
        async with open_checkpointer(fresh_url, max_size=2) as saver:
            app = _graph(saver)
            config = {"configurable": {"thread_id": thread}}
            await app.ainvoke({"steps": []}, config)
            return list((await app.aget_state(config)).values["steps"])

    results = await asyncio.gather(*(open_and_use(f"t{i}") for i in range(3)))
    assert results == [["one"]] * 3


async def test_serializer_is_passed_through(postgres_url: str) -> None:
    serde = JsonPlusSerializer()
    async with open_checkpointer(postgres_url, max_size=1, serde=serde) as saver:
        assert saver.serde is serde
