"""Run the real `bacowr` command in a subprocess against a fresh database and the fake LLM."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.fake_llm import FakeLLM, serve_in_thread
from schemas.job_package import InputMinimal
from tests.postgres import create_database, drop_database

BACOWR = [sys.executable, "-m", "cli"]


@dataclass
class CliEnv:
    env: dict[str, str]
    db_url: str
    fake: FakeLLM
    tmp: Path

    def run(
        self, *args: str, timeout: float = 300, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*BACOWR, *args],
            env={**self.env, **extra_env},
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, **extra_env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*BACOWR, *args],
            env={**self.env, **extra_env},
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )


def write_jobs_csv(path: Path, jobs: list[InputMinimal]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["publisher_domain", "target_url", "anchor_text", "min_word_count"])
        for job in jobs:
            writer.writerow([job.publisher_domain, job.target_url, job.anchor_text, 300])
    return path


@pytest.fixture
def llm_latency() -> float:
    """Seconds the fake LLM takes per call (override in a test module)."""
    return 0.05


@pytest.fixture
def cli_env(postgres_server_url: str, tmp_path: Path, llm_latency: float) -> Iterator[CliEnv]:
    """A fresh database, the fake LLM and an environment pointing at both."""
    db_url = create_database(postgres_server_url, prefix="bacowr_cli")
    fake = FakeLLM(latency_s=llm_latency)
    with serve_in_thread(fake) as base_url:
        env = {
            **os.environ,
            "BACOWR_DATABASE_URL": db_url,
            "BACOWR_LLM_BASE_URL": base_url,
            "BACOWR_LLM_MODEL": "fake",
            "BACOWR_LLM_API_KEY": "test",
            "BACOWR_DATA_DIR": str(tmp_path / "data"),
            "BACOWR_RESEARCH_DIR": str(tmp_path / "research"),
        }
        yield CliEnv(env=env, db_url=db_url, fake=fake, tmp=tmp_path)
    drop_database(postgres_server_url, db_url)
