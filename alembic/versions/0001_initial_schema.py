"""Initial schema.

Tables: batches, jobs, job_events, article_versions, articles (final), error_log,
research_cache.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

The checkpointer's tables are not here: AsyncPostgresSaver.setup() owns them.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_STATUSES = "'queued', 'running', 'passed', 'needs_review', 'refused', 'failed', 'cancelled'"
OUTCOMES = "'passed', 'needs_review', 'refused', 'failed'"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE batches (
            id          text PRIMARY KEY,
            name        text NOT NULL DEFAULT '',
            source      text,
            status      text NOT NULL DEFAULT 'queued'
                        CONSTRAINT batches_status_check
                        CHECK (status IN ('queued', 'running', 'finished', 'cancelled')),
            concurrency integer NOT NULL DEFAULT 1
                        CONSTRAINT batches_concurrency_check CHECK (concurrency >= 1),
            counts      jsonb NOT NULL DEFAULT '{}'::jsonb,
            created_at  timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE jobs (
            id               text PRIMARY KEY,
            idempotency_key  text CONSTRAINT jobs_idempotency_key_key UNIQUE,
            batch_id         text REFERENCES batches (id) ON DELETE SET NULL,
            input            jsonb NOT NULL,
            status           text NOT NULL DEFAULT 'queued'
                             CONSTRAINT jobs_status_check CHECK (status IN ({JOB_STATUSES})),
            current_node     text,
            iteration        integer NOT NULL DEFAULT 0,
            qc_score         double precision,
            outcome          text CONSTRAINT jobs_outcome_check CHECK (outcome IN ({OUTCOMES})),
            outcome_reasons  jsonb NOT NULL DEFAULT '[]'::jsonb,
            error            jsonb,
            prompt_hashes    jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            tokens_in        bigint NOT NULL DEFAULT 0,
            tokens_out       bigint NOT NULL DEFAULT 0,
            cost_usd         numeric(14, 6) NOT NULL DEFAULT 0,
            attempts         integer NOT NULL DEFAULT 0,
            priority         integer NOT NULL DEFAULT 0,
            lease_owner      text,
            lease_expires_at timestamptz,
            created_at       timestamptz NOT NULL DEFAULT now(),
            started_at       timestamptz,
            updated_at       timestamptz NOT NULL DEFAULT now(),
            finished_at      timestamptz,
            -- An outcome is set exactly when the status is that outcome.
            CONSTRAINT jobs_outcome_matches_status CHECK (
                (outcome IS NULL AND status IN ('queued', 'running', 'cancelled'))
                OR outcome = status
            ),
            CONSTRAINT jobs_lease_check CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
        )
        """
    )
    op.execute("CREATE INDEX jobs_batch_status_idx ON jobs (batch_id, status)")
    op.execute("CREATE INDEX jobs_status_idx ON jobs (status, created_at)")
    # The worker's claim: queued jobs by priority (high first), then age.
    op.execute(
        "CREATE INDEX jobs_claim_idx ON jobs (priority DESC, created_at, id)"
        " WHERE status = 'queued'"
    )
    op.execute(
        "CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE status = 'running'"
    )

    op.execute(
        """
        CREATE TABLE job_events (
            id          bigserial PRIMARY KEY,
            job_id      text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            node        text,
            event       text NOT NULL,
            at          timestamptz NOT NULL DEFAULT clock_timestamp(),
            duration_ms integer CONSTRAINT job_events_duration_check CHECK (duration_ms >= 0),
            detail      jsonb
        )
        """
    )
    op.execute("CREATE INDEX job_events_job_idx ON job_events (job_id, id)")

    op.execute(
        """
        CREATE TABLE article_versions (
            job_id          text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            iteration       integer NOT NULL
                            CONSTRAINT article_versions_iteration_check CHECK (iteration >= 0),
            markdown        text NOT NULL,
            links_extension jsonb NOT NULL,
            qc_report       jsonb,
            qc_score        double precision,
            created_at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, iteration)
        )
        """
    )
    # One row per job: the primary key on job_id is what makes the final article exactly-once.
    op.execute(
        """
        CREATE TABLE articles (
            job_id          text PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            version         integer NOT NULL,
            markdown        text NOT NULL,
            links_extension jsonb NOT NULL,
            qc_report       jsonb,
            outcome         text NOT NULL
                            CONSTRAINT articles_outcome_check
                            CHECK (outcome IN ('passed', 'needs_review')),
            created_at      timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    # No foreign keys: recording an error must never fail because its job or batch is gone
    # (or never existed, as for a rejected CSV row).
    op.execute(
        """
        CREATE TABLE error_log (
            id         bigserial PRIMARY KEY,
            batch_id   text,
            job_id     text,
            row_number integer,
            kind       text NOT NULL,
            reason     text NOT NULL,
            raw        jsonb,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX error_log_batch_idx ON error_log (batch_id, id)")
    op.execute("CREATE INDEX error_log_job_idx ON error_log (job_id, id)")

    op.execute(
        """
        CREATE TABLE research_cache (
            kind       text NOT NULL,
            key        text NOT NULL,
            value      jsonb NOT NULL,
            expires_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, key)
        )
        """
    )
    op.execute(
        "CREATE INDEX research_cache_expires_idx ON research_cache (expires_at)"
        " WHERE expires_at IS NOT NULL"
    )


def downgrade() -> None:
    for table in (
        "research_cache",
        "error_log",
        "articles",
        "article_versions",
        "job_events",
        "jobs",
        "batches",
    ):
        op.execute(f"DROP TABLE {table}")
