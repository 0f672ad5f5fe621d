"""Schemathesis over the app's own OpenAPI schema: generated requests never get a 5xx, and
responses match their documented status codes, content types and schemas.

The app runs for real under uvicorn (Postgres, fake LLM, keys configured) with no in-process
workers, so generated jobs only land in the ledger. Operations are driven one by one with
Hypothesis (schemathesis' pytest plugin trips on pytest 9's subtests here).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_app
from bench.fake_llm import FakeLLM, serve_in_thread
from tests.api.conftest import AUTH, api_settings
from tests.api.server import serve_app

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 25
# Positive-data acceptance is left out: a domain or URL the schema types as a string can still
# fail the semantic checks (a bare domain, an http(s) URL with a host); those 422s name the field.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def api_schema(api_db: str, research_dir: Path) -> Iterator[schemathesis.BaseSchema]:
    with serve_in_thread(FakeLLM()) as llm_url:
        app = create_app(api_settings(api_db, llm_url, research_dir, api_workers=0))
        with serve_app(app) as base_url:
            yield schemathesis.openapi.from_url(f"{base_url}/openapi.json")


def test_no_server_errors_and_responses_conform(api_schema: schemathesis.BaseSchema) -> None:
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 18
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=AUTH, checks=CHECKS, timeout=30)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failure
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
