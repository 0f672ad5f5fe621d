"""Pure helpers: URL forms and stable job ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.enums import Language
from storage._urls import normalize_url, redact_url, socket_url, with_database
from storage.ids import job_id_for, new_batch_id
from tests.storage.factories import job_input


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql://u:p@h:5432/db"),
        ("postgres://u@h/db", "postgresql://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql://u@h/db"),
        ("postgresql+psycopg://u@/db?host=/tmp/s", "postgresql://u@/db?host=/tmp/s"),
    ],
)
def test_normalize_url_accepts_postgres_urls(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["host=localhost dbname=x", "mysql://u@h/db", ""])
def test_normalize_url_refuses_other_strings(url: str) -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        normalize_url(url)


def test_socket_url_and_with_database() -> None:
    url = socket_url(Path("/data/my pg"), database="bacowr", port=5432)
    assert url == "postgresql://postgres@/bacowr?host=/data/my%20pg&port=5432"
    assert (
        with_database(url, "other") == "postgresql://postgres@/other?host=/data/my%20pg&port=5432"
    )


def test_redact_url_masks_only_the_password() -> None:
    assert redact_url("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_job_id_is_stable_and_input_derived() -> None:
    first = job_id_for(job_input(1))
    assert first == job_id_for(job_input(1))
    assert first.startswith("job_") and len(first) == 24
    assert first != job_id_for(job_input(2))
    assert first != job_id_for(job_input(1, language=Language.en))
    assert first != job_id_for(job_input(1, min_words=1200))


def test_job_id_from_idempotency_key_ignores_input() -> None:
    assert job_id_for(job_input(1), "order-42") == job_id_for(job_input(2), "order-42")
    assert job_id_for(job_input(1), "order-42") != job_id_for(job_input(1))


def test_blank_idempotency_key_counts_as_none() -> None:
    assert job_id_for(job_input(1), "  ") == job_id_for(job_input(1))


def test_new_batch_ids_differ() -> None:
    assert new_batch_id() != new_batch_id()
