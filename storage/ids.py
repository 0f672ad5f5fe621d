"""Stable ids: the same job request always maps to the same job id."""

from __future__ import annotations

import hashlib
import json
import uuid

from storage.records import JobInput

__all__ = ["canonical_input", "job_id_for", "new_batch_id"]


def canonical_input(input: JobInput) -> str:
    """Return the canonical JSON of what makes two job requests the same job."""
    minimal = input.input_minimal
    return json.dumps(
        {
            "publisher_domain": minimal.publisher_domain,
            "target_url": minimal.target_url,
            "anchor_text": minimal.anchor_text,
            "generation_constraints": input.generation_constraints.model_dump(mode="json"),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def job_id_for(input: JobInput, idempotency_key: str | None = None) -> str:
    """Return the job id: a hash of the idempotency key when given, else of the input.

    A blank key counts as no key (an empty CSV cell is not a key). The two hash inputs carry
    different prefixes, so a key can never collide with an input's JSON.
    """
    key = (idempotency_key or "").strip()
    material = f"key:{key}" if key else f"input:{canonical_input(input)}"
    return "job_" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def new_batch_id() -> str:
    """Return a fresh random batch id."""
    return "batch_" + uuid.uuid4().hex[:20]
