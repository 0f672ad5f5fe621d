"""Single nodes with fake chat models and recorded research."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from agents.prompts import PromptLoader
from agents.roles import build_role_agents
from nodes.context import InMemoryArticleStore, JobContext
from nodes.finalize import fail, refuse
from nodes.qc_review import qc_review
from nodes.research import research
from nodes.revise import fix_list, revise
from nodes.write import make_draft, write
from schemas.enums import Criterion, Outcome, Role
from schemas.settings import default_prompts_dir
from schemas.state import JobFailure, JobState, SentinelDecision
from services.job_runner import new_job_state
from tests.fakes.factories import report
from tests.fakes.llm import Answer, fake_chains
from tests.fakes.scripts import JOB, RESEARCH_DIR, good_article, researcher, rubric, sentinel
from tools.intent_gate import gate
from tools.research.cache import CachedResearchProvider
from tools.research.recorded import RecordedResearchProvider


@dataclass
class FakeRuntime:
    context: JobContext


def runtime(scripts: dict[Role, list[Answer]], research_view: Any = None) -> FakeRuntime:
    agents = build_role_agents(PromptLoader(default_prompts_dir()), fake_chains(scripts))
    return FakeRuntime(
        JobContext(
            agents=agents,
            research=research_view or RecordedResearchProvider(RESEARCH_DIR),
            articles=InMemoryArticleStore(),
        )
    )


async def researched_state() -> JobState:
    state = new_job_state(JOB)
    update = await research(state, runtime=runtime({Role.researcher: [researcher()]}))  # type: ignore[arg-type]
    state = state.model_copy(update=update)
    ext, _ = gate(sentinel(), state.package.serp_research_extension.data_confidence)  # type: ignore[union-attr]
    return state.model_copy(
        update={"package": state.package.model_copy(update={"intent_extension": ext})}
    )


async def test_research_fills_profiles_from_evidence_and_judgement() -> None:
    state = await researched_state()
    pkg = state.package
    assert pkg.target_profile is not None and pkg.target_profile.http_status == 200
    assert pkg.target_profile.h1  # a fact from the page, not from the model
    assert pkg.target_profile.core_topics == researcher().target.core_topics
    assert pkg.publisher_profile is not None and pkg.publisher_profile.sample_urls
    assert state.research_attempts == 1
    assert "researcher" in state.prompt_hashes


async def test_research_records_cache_hits_on_the_second_job() -> None:
    shared = CachedResearchProvider(RecordedResearchProvider(RESEARCH_DIR))
    scripts: dict[Role, list[Answer]] = {Role.researcher: [researcher()]}
    first = await research(new_job_state(JOB), runtime=runtime(scripts, shared.for_job()))  # type: ignore[arg-type]
    second = await research(new_job_state(JOB), runtime=runtime(scripts, shared.for_job()))  # type: ignore[arg-type]
    assert first["cache_hits"] == []
    assert second["cache_hits"], "the second job should be served from the cache"


async def test_write_stores_draft_with_links_extension() -> None:
    state = await researched_state()
    rt = runtime({Role.writer: [good_article()]})
    update = await write(state, runtime=rt)  # type: ignore[arg-type]
    assert update["draft_version"] == 0
    draft = await rt.context.articles.load_version(state.job_id, 0)
    assert draft.links_extension.bridge_type.value == "strong"
    assert draft.links_extension.placement.paragraph_index_in_section is not None


async def test_qc_rules_stand_over_a_praising_rubric() -> None:
    state = await researched_state()
    rt = runtime({Role.qc_reviewer: [rubric(100)]})
    article = good_article().replace(
        "## Så väljer du rätt laddbox",
        "## Så väljer du rätt [laddbox till villan](https://www.laddhemma.se/laddbox-villa)",
        1,
    )
    draft = make_draft(state.job_id, 0, good_article(), state.package)
    # Stored as is: the autofix would move the link out of the heading.
    draft = draft.model_copy(update={"markdown": article})
    await rt.context.articles.save_version(draft)
    update = await qc_review(state.model_copy(update={"draft_version": 0}), runtime=rt)  # type: ignore[arg-type]
    qc = update["qc"]
    assert qc.score_of(Criterion.ANCHOR) < 50
    assert update["qc_rounds"][0].overall == qc.overall


async def test_revise_sends_exactly_the_failing_criteria() -> None:
    state = await researched_state()
    bad = report(90, scores={Criterion.TRUST: 30, Criterion.LSI: 60})
    text = fix_list(bad)
    assert "TRUST (30/100)" in text and "LSI (60/100)" in text
    assert "ANCHOR" not in text
    rt = runtime({Role.reviser: [good_article()]})
    await rt.context.articles.save_version(make_draft(state.job_id, 0, "# x\n\ny", state.package))
    s = state.model_copy(update={"draft_version": 0, "qc": bad, "review_notes": "kortare intro"})
    update = await revise(s, runtime=rt)  # type: ignore[arg-type]
    assert update["iteration"] == 1 and update["draft_version"] == 1


async def test_terminal_nodes_record_outcome_once() -> None:
    rt = runtime({})
    state = new_job_state(JOB).model_copy(
        update={"decision": SentinelDecision(action="refuse", reasons=["misaligned"])}
    )
    out = await refuse(state, runtime=rt)  # type: ignore[arg-type]
    assert out["outcome"] is Outcome.refused and out["outcome_reasons"] == ["misaligned"]
    failed = state.model_copy(update={"failure": JobFailure(kind="x", message="m", node="write")})
    again = await fail(failed, runtime=rt)  # type: ignore[arg-type]
    assert again["outcome"] is Outcome.failed
    store = rt.context.articles
    assert isinstance(store, InMemoryArticleStore)
    assert store.finals[state.job_id][1] is Outcome.refused  # the first outcome stands


@pytest.mark.parametrize("missing", ["draft_version", "qc"])
async def test_revise_without_draft_or_report_fails_typed(missing: str) -> None:
    state = await researched_state()
    fields = {"draft_version": 0, "qc": report(50)}
    fields[missing] = None
    update = await revise(state.model_copy(update=fields), runtime=runtime({}))  # type: ignore[arg-type]
    assert update["failure"].node == "revise"
