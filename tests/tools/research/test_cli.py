"""`bacowr research fetch` and `record`, end to end against the loopback server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.research import research_app
from tools.research.recorded import RecordedResearchProvider

from .servers import LoopbackServer, add_publisher, serper_answer

runner = CliRunner()


@pytest.fixture(autouse=True)
def _settings_env(monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
    monkeypatch.setenv("BACOWR_FETCH_ALLOW_HOSTS", '["127.0.0.1"]')
    monkeypatch.setenv("BACOWR_SERPER_API_KEY", "test-key")
    monkeypatch.setenv("BACOWR_SERPER_BASE_URL", server.url(""))
    monkeypatch.delenv("BACOWR_CONFIG", raising=False)


def test_fetch_prints_the_extracted_page(server: LoopbackServer):
    result = runner.invoke(research_app, ["fetch", server.url("/sv")])

    assert result.exit_code == 0, result.output
    assert "title:      Laddbox för villa – så väljer du rätt | Villaliv" in result.stdout
    assert "language:   sv" in result.stdout


def test_fetch_json(server: LoopbackServer):
    result = runner.invoke(research_app, ["fetch", server.url("/en"), "--json"])

    assert result.exit_code == 0
    assert json.loads(result.stdout)["h1"] == "How to choose a home EV charger"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://169.254.169.254/latest/meta-data/",
            "fetch failed: fetch_refused: refused to fetch http://169.254.169.254/latest/"
            "meta-data/: link-local address 169.254.169.254",
        ),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ],
)
def test_fetch_refused_exits_non_zero_with_one_line(url: str, message: str):
    result = runner.invoke(research_app, ["fetch", url])

    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fetch_failure_exits_non_zero(server: LoopbackServer):
    result = runner.invoke(research_app, ["fetch", server.url("/missing")])

    assert result.exit_code == 1
    assert result.stderr.strip() == "fetch failed: fetch: server answered HTTP 404"


def test_record_writes_a_snapshot_that_replays_offline(server: LoopbackServer, tmp_path: Path):
    add_publisher(server, "127.0.0.1")
    # Searches run concurrently, so answers are keyed by query, not by arrival order.
    queries = ["laddbox till villan", "laddbox för villa", "laddbox för villa – så väljer du rätt"]
    server.serper_by_query = {
        q: serper_answer(f"https://r{i}.example/") for i, q in enumerate(queries)
    }
    publisher = server.url("").rstrip("/")

    result = runner.invoke(
        research_app,
        [
            "record",
            str(tmp_path),
            "--publisher",
            publisher,
            "--target",
            server.url("/sv"),
            "--anchor",
            "laddbox till villan",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "data confidence medium" in result.stdout  # one result per search
    [snapshot] = tmp_path.glob("*.json")
    recorded = RecordedResearchProvider(tmp_path)
    target = asyncio.run(recorded.fetch_page(server.url("/sv")))
    assert target.h1 == "Laddbox för villa – så väljer du rätt"
    pages = asyncio.run(recorded.publisher_pages(publisher))
    assert [p.error for p in pages] == [None] * 4
    serp = asyncio.run(recorded.search("laddbox till villan", "sv"))
    assert [h.url for h in serp.hits] == ["https://r0.example/"]
    asked = {json.loads(r.body)["q"] for r in server.requests if r.path == "/search"}
    assert asked == set(queries)
    assert json.loads(snapshot.read_text())["publishers"] == {publisher: [p.url for p in pages]}


def test_record_refuses_to_write_when_the_target_failed(server: LoopbackServer, tmp_path: Path):
    result = runner.invoke(
        research_app,
        [
            "record",
            str(tmp_path),
            "--publisher",
            server.url("").rstrip("/"),
            "--target",
            server.url("/nope"),
            "--anchor",
            "laddbox",
        ],
    )

    assert result.exit_code == 1
    assert "target fetch failed: fetch: server answered HTTP 404" in result.stderr
    assert list(tmp_path.iterdir()) == []
