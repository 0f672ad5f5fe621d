"""Storage errors: part of bacowr's typed error hierarchy, with the looked-up keys as fields."""

from __future__ import annotations

from schemas.errors import BacowrError

__all__ = [
    "ArticleVersionNotFoundError",
    "BatchNotFoundError",
    "EmbeddedDatabaseError",
    "IdempotencyConflictError",
    "JobNotFoundError",
    "NotFoundError",
    "StorageError",
]


class StorageError(BacowrError):
    kind = "storage"


class NotFoundError(StorageError, LookupError):
    """A row the caller named does not exist."""

    kind = "not_found"


class JobNotFoundError(NotFoundError):
    def __init__(self, job_id: str) -> None:
        super().__init__("no such job", job_id=job_id)
        self.job_id = job_id


class BatchNotFoundError(NotFoundError):
    def __init__(self, batch_id: str) -> None:
        super().__init__("no such batch", batch_id=batch_id)
        self.batch_id = batch_id


class ArticleVersionNotFoundError(NotFoundError):
    def __init__(self, job_id: str, version: int) -> None:
        super().__init__("no such article version", job_id=job_id, version=version)
        self.job_id = job_id
        self.version = version


class IdempotencyConflictError(StorageError):
    """An idempotency key was reused for a different job input."""

    kind = "idempotency_conflict"

    def __init__(self, idempotency_key: str, job_id: str) -> None:
        super().__init__(
            "idempotency key already used for a different input",
            idempotency_key=idempotency_key,
            job_id=job_id,
        )
        self.idempotency_key = idempotency_key
        self.job_id = job_id


class EmbeddedDatabaseError(StorageError):
    """The private embedded PostgreSQL could not be started or reached."""

    kind = "embedded_db"
