"""The drawn graph is a snapshot: a dropped or added edge shows up as a diff."""

from __future__ import annotations

import os
from pathlib import Path

from graphs.job_graph import build_job_graph

SNAPSHOT = Path(__file__).with_name("snapshots") / "job_graph.mmd"


def test_graph_drawing_matches_snapshot() -> None:
    drawing = build_job_graph().compile().get_graph().draw_mermaid()
    if os.environ.get("BACOWR_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(drawing, encoding="utf-8")
    assert drawing == SNAPSHOT.read_text(encoding="utf-8"), (
        "the job graph changed; if intended, rerun with BACOWR_UPDATE_SNAPSHOTS=1"
    )


def test_every_node_reaches_an_end() -> None:
    graph = build_job_graph().compile().get_graph()
    edges = {(e.source, e.target) for e in graph.edges}
    for terminal in ("finalize", "review", "refuse", "fail"):
        assert (terminal, "__end__") in edges
    for node in ("research", "intent_sentinel", "write", "qc_review", "revise"):
        assert (node, "fail") in edges, f"{node} has no failure route"
