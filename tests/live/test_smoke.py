"""Live smoke tests: the whole graph against a real model, on two recorded jobs.

By default the embedded local model (llama.cpp + Gemma 3 270M) serves every role; set
BACOWR_LIVE_BASE_URL, BACOWR_LIVE_MODEL and BACOWR_LIVE_API_KEY to run against a hosted provider.
A tiny model will not pass QC; these tests assert that real outputs flow through every node.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from schemas.enums import Criterion, Language, Outcome, Role
from schemas.job_package import GenerationConstraints, InputMinimal
from schemas.settings import Settings
from services.single_run import run_one
from tools.qc.language import detect_language

pytestmark = [pytest.mark.live, pytest.mark.slow]

RESEARCH = Path(__file__).resolve().parents[2] / "examples" / "research"

JOBS = [
    pytest.param(
        InputMinimal(
            publisher_domain="villaliv.se",
            target_url="https://www.laddhemma.se/laddbox-villa",
            anchor_text="laddbox till villan",
        ),
        Language.sv,
        id="sv-villaliv",
    ),
    pytest.param(
        InputMinimal(
            publisher_domain="greenfingersdiary.co.uk",
            target_url="https://www.shedworks.co.uk/garden-offices",
            anchor_text="insulated garden office",
        ),
        Language.en,
        id="en-greenfingers",
    ),
]


def live_settings(tmp_path: Path) -> Settings:
    """Settings for the live run: a hosted provider from BACOWR_LIVE_*, else the local model."""
    base_url = os.environ.get("BACOWR_LIVE_BASE_URL")
    common = {
        "research_dir": RESEARCH,
        "max_iterations": 1,  # one revision is enough to exercise the loop
        "data_dir": Path(os.environ.get("BACOWR_DATA_DIR", Path.home() / ".local/share/bacowr")),
    }
    if base_url:
        key = os.environ.get("BACOWR_LIVE_API_KEY")
        return Settings(
            llm_base_url=base_url,
            llm_model=os.environ["BACOWR_LIVE_MODEL"],
            llm_api_key=SecretStr(key) if key else None,
            **common,  # type: ignore[arg-type]
        )
    return Settings(llm_base_url=None, llm_model=None, **common)  # type: ignore[arg-type]


@pytest.mark.parametrize(("job", "language"), JOBS)
async def test_whole_graph_on_a_real_model(
    job: InputMinimal, language: Language, tmp_path: Path
) -> None:
    settings = live_settings(tmp_path)
    state, article = await run_one(
        settings, job, GenerationConstraints(language=language, min_word_count=300), RESEARCH
    )
    # Every structured output parsed: no node failed, and research + sentinel filled the package.
    assert state.failure is None, state.failure
    assert state.outcome in {Outcome.passed, Outcome.needs_review, Outcome.refused}
    assert state.package.publisher_profile is not None
    assert state.package.intent_extension is not None, state.outcome_reasons
    assert state.outcome is not Outcome.refused, state.outcome_reasons
    # A real article in the job's language, carrying the paid link.
    assert article is not None and len(article.markdown.split()) > 50
    assert f"]({job.target_url})" in article.markdown
    assert detect_language(article.markdown)[0] == language.value
    # A full QC report, and tokens counted for every role that ran.
    assert state.qc is not None
    assert {c.criterion for c in state.qc.criteria} == set(Criterion)
    for role in (Role.researcher, Role.intent_sentinel, Role.writer, Role.qc_reviewer):
        usage = state.usage_for(role)
        assert usage.calls >= 1 and usage.input_tokens > 0 and usage.output_tokens > 0, role
