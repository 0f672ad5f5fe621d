"""The Serper.dev client against a fake Serper endpoint on the loopback server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tools.research.serper import SerperClient, _retry_after

from .conftest import LiveFactory
from .servers import LoopbackServer, Route, serper_answer


class RecordingSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _client(server: LoopbackServer, sleep: RecordingSleep, **kwargs: object) -> SerperClient:
    return SerperClient(
        "test-key",
        base_url=server.url(""),
        sleep=sleep,
        jitter=lambda: 0.0,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_parses_organic_results(server: LoopbackServer, live: LiveFactory):
    server.serper_script = [serper_answer("https://a.example/", "https://b.example/x")]
    provider = live(serper_api_key="test-key", serper_base_url=server.url(""))

    serp = await provider.search("laddbox villa", "sv")

    assert serp.error is None
    assert serp.provider == "serper"
    assert [(h.rank, h.url, h.title) for h in serp.hits] == [
        (1, "https://a.example/", "Result 1"),
        (2, "https://b.example/x", "Result 2"),
    ]
    request = server.requests[-1]
    assert (request.method, request.path) == ("POST", "/search")
    assert request.headers["X-API-KEY"] == "test-key"
    assert json.loads(request.body) == {"q": "laddbox villa", "gl": "se", "hl": "sv", "num": 10}


async def test_429_is_retried_after_the_advertised_wait(server: LoopbackServer):
    sleep = RecordingSleep()
    server.serper_script = [
        Route(status=429, body=b"{}", headers={"Retry-After": "7"}),
        serper_answer("https://a.example/"),
    ]

    serp = await _client(server, sleep).search("q", "en")

    assert serp.error is None and len(serp.hits) == 1
    assert sleep.waits == [7.0]
    assert server.count("/search") == 2


async def test_5xx_is_retried_with_exponential_backoff(server: LoopbackServer):
    sleep = RecordingSleep()
    server.serper_script = [
        Route(status=503, body=b"{}"),
        Route(status=502, body=b"{}"),
        serper_answer("https://a.example/"),
    ]

    serp = await _client(server, sleep, base_delay_s=1.0).search("q", "sv")

    assert serp.error is None
    assert sleep.waits == [0.5, 1.0]  # half of 1 s and 2 s: "equal jitter" with jitter 0


async def test_jitter_spreads_the_wait_within_the_backoff(server: LoopbackServer):
    sleep = RecordingSleep()
    server.serper_script = [Route(status=500, body=b"{}"), serper_answer("https://a.example/")]
    client = SerperClient(
        "k", base_url=server.url(""), sleep=sleep, jitter=lambda: 1.0, base_delay_s=4.0
    )

    await client.search("q", "sv")

    assert sleep.waits == [4.0]


async def test_gives_up_after_the_attempt_limit(server: LoopbackServer):
    sleep = RecordingSleep()
    server.serper_script = [Route(status=500, body=b"{}") for _ in range(5)]

    serp = await _client(server, sleep, max_attempts=3).search("q", "sv")

    assert serp.error == "serper gave up after 3 attempts: HTTP 500"
    assert serp.hits == []
    assert server.count("/search") == 3
    assert len(sleep.waits) == 2


async def test_client_errors_are_not_retried(server: LoopbackServer):
    sleep = RecordingSleep()
    server.serper_script = [Route(status=401, body=b'{"message": "bad key"}')]

    serp = await _client(server, sleep).search("q", "sv")

    assert serp.error is not None and serp.error.startswith("serper answered HTTP 401")
    assert sleep.waits == []


async def test_search_without_an_api_key_is_evidence_with_an_error(live: LiveFactory):
    serp = await live().search("q", "sv")

    assert serp.error == "no SERP provider configured (serper_api_key is unset)"


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3.0), ("-1", 0.0), ("soon", None), (None, None)]
)
def test_retry_after_seconds(value: str | None, expected: float | None):
    assert _retry_after(value) == expected


def test_retry_after_http_date():
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    wait = _retry_after(when)
    assert wait is not None and 100 < wait <= 120
