"""Structured logs: JSON lines with context ids, credentials scrubbed, no stack traces."""

from __future__ import annotations

import io
import json
import logging

from services.observability import ContextFilter, JsonFormatter, log_context, redact


def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("bacowr.test.logging")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_records_carry_the_bound_ids_as_json() -> None:
    log, stream = capture()
    with log_context(request_id="r1"), log_context(job_id="job_1", batch_id="batch_1"):
        log.info("entered %s", "write", extra={"node": "write"})
    log.info("outside")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["msg"] == "entered write" and first["level"] == "info"
    assert (first["request_id"], first["job_id"], first["batch_id"]) == ("r1", "job_1", "batch_1")
    assert first["node"] == "write"
    assert "job_id" not in second


def test_secrets_and_stack_traces_stay_out() -> None:
    log, stream = capture()
    try:
        raise ValueError("cannot connect to postgresql://app:s3cret@db:5432/x")
    except ValueError:
        log.exception("failed with Bearer abc.def and api_key=sk-1234567890abcdef")
    entry = json.loads(stream.getvalue())
    assert "s3cret" not in stream.getvalue() and "abc.def" not in stream.getvalue()
    assert "sk-1234567890abcdef" not in stream.getvalue()
    assert entry["error"] == "ValueError: cannot connect to postgresql://***@db:5432/x"
    assert "Traceback" not in stream.getvalue()


def test_redact() -> None:
    assert redact("https://u:p@h/x") == "https://***@h/x"
    assert redact("token=abc&x=1") == "token=***&x=1"
    assert redact("plain text") == "plain text"
