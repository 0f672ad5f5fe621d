"""Batch bodies: rows in, accepted and rejected rows out, progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from services.batches import BatchProgress
from storage.records import Batch

__all__ = [
    "AcceptedJobOut",
    "BatchCreate",
    "BatchOut",
    "BatchProgressOut",
    "BatchRowIn",
    "BatchSubmitted",
    "RejectedRowOut",
]

_BATCH_ID = "batch_7e1f0c9a2b3d4e5f6a7b"


class BatchRowIn(BaseModel):
    """One job row, as in a CSV file. Rows are checked one by one: a bad row is rejected with
    its reason, the others still become jobs."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "publisher_domain": "villaliv.se",
                    "target_url": "https://www.laddhemma.se/laddbox-villa",
                    "anchor_text": "laddbox till villan",
                }
            ]
        },
    )

    publisher_domain: Any = Field(default=None, description="Required: publisher domain.")
    target_url: Any = Field(default=None, description="Required: the link's target URL.")
    anchor_text: Any = Field(default=None, description="Required: anchor text.")
    language: Any = Field(default=None, description="sv, en, no or da (default sv).")
    min_word_count: Any = Field(default=None, description="100-5000 (default 900).")
    max_anchor_usages: Any = Field(default=None, description="1-5 (default 2).")
    vertical: Any = Field(default=None, description="finance, gambling, health, legal, ...")
    tone: Any = Field(default=None, description="Tone class; default from the publisher.")
    priority: Any = Field(default=None, description="Higher runs first (default 0).")
    idempotency_key: Any = Field(default=None, description="Same key = same job.")


class BatchCreate(BaseModel):
    """A batch as JSON: the same rows a CSV would hold."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        default=None, max_length=200, description="A label for people.", examples=["week 12"]
    )
    rows: list[BatchRowIn] = Field(
        min_length=1, max_length=10_000, description="The job rows, in order (row 1 is first)."
    )


class AcceptedJobOut(BaseModel):
    row_number: int = Field(description="The row in the input (file line or 1-based index).")
    job_id: str = Field(description="The job it became.", examples=["job_3f9c2a7b1e4d5c6a8b9f"])
    status: str = Field(description="The job's status now.", examples=["queued"])


class RejectedRowOut(BaseModel):
    row_number: int = Field(description="The row in the input.", examples=[4])
    kind: str = Field(description="invalid_row, duplicate_row, malformed_row, ...")
    reason: str = Field(
        description="What to fix, naming the field.",
        examples=["target_url: must be an http or https URL"],
    )


class BatchSubmitted(BaseModel):
    """What became of each row; the same content again returns the same batch."""

    batch_id: str = Field(description="The batch's id.", examples=[_BATCH_ID])
    name: str = Field(description="Its label.", examples=["jobs.csv"])
    created: bool = Field(description="False when this content was submitted before.")
    status: str = Field(description="queued, running, finished or cancelled.")
    accepted: list[AcceptedJobOut] = Field(description="Rows that became jobs.")
    rejected: list[RejectedRowOut] = Field(description="Rows that did not, with reasons.")
    warnings: list[str] = Field(description="About the file as a whole.", examples=[[]])


class BatchOut(BaseModel):
    """A batch and its job counts by status."""

    id: str = Field(description="The batch's id.", examples=[_BATCH_ID])
    name: str = Field(description="Its label.", examples=["jobs.csv"])
    status: str = Field(description="queued, running, finished or cancelled.")
    counts: dict[str, int] = Field(description="Jobs by status.", examples=[{"passed": 3}])
    created_at: datetime = Field(description="Submitted.")
    finished_at: datetime | None = Field(description="Ended or cancelled.")

    @classmethod
    def from_batch(cls, batch: Batch) -> Self:
        return cls(
            id=batch.id,
            name=batch.name,
            status=batch.status.value,
            counts=batch.counts,
            created_at=batch.created_at,
            finished_at=batch.finished_at,
        )


class BatchProgressOut(BaseModel):
    """Counts, throughput and ETA (also the data of the batch's server-sent events)."""

    batch_id: str = Field(description="The batch.", examples=[_BATCH_ID])
    status: str = Field(description="Its status.", examples=["running"])
    counts: dict[str, int] = Field(
        description="Jobs by status.", examples=[{"queued": 2, "running": 2, "passed": 6}]
    )
    total: int = Field(description="All jobs.", examples=[10])
    done: int = Field(description="Jobs that ended.", examples=[6])
    throughput_per_min: float = Field(description="Jobs ended per minute.", examples=[3.5])
    eta_s: float | None = Field(description="Seconds to the end at that rate.", examples=[68.6])

    @classmethod
    def from_progress(cls, p: BatchProgress) -> Self:
        return cls(**vars(p))
