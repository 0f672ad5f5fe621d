"""Fixtures: a loopback server with the Swedish and English fixture pages, provider builders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from schemas.settings import Settings
from tools.research.live import LiveResearchProvider, build_live_provider

from .servers import LoopbackServer, Route, StaticResolver, fixture_bytes

LiveFactory = Callable[..., LiveResearchProvider]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    srv.routes.update(
        {
            "/sv": Route(body=fixture_bytes("sv_article.html")),
            "/en": Route(
                body=fixture_bytes("en_article.html"),
                content_type="text/html; charset=utf-8",
            ),
            "/injection": Route(body=fixture_bytes("injection.html")),
        }
    )
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def resolver() -> StaticResolver:
    return StaticResolver()


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"fetch_allow_hosts": ["127.0.0.1"], "serper_api_key": None}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def live(resolver: StaticResolver) -> LiveFactory:
    """Build a live provider against the loopback server; keyword arguments are settings."""

    def build(*, sleep: Any = None, **overrides: Any) -> LiveResearchProvider:
        return build_live_provider(make_settings(**overrides), resolver=resolver, sleep=sleep)

    return build
