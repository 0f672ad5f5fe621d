"""The whole job graph with fake chat models: every terminal outcome and the revise loop."""

from __future__ import annotations

import pytest

from schemas.enums import AlignmentLevel, BridgeType, Outcome, Role
from schemas.errors import TransientFetchError
from schemas.evidence import PageEvidence, SerpEvidence
from tests.fakes.scripts import (
    GENERIC_JOB,
    RESEARCH_DIR,
    TARGET,
    THIN_JOB,
    good_article,
    researcher,
    rubric,
    sentinel,
    short_article,
)
from tests.graphs.conftest import RunGraph
from tools.research.recorded import RecordedResearchProvider


def scripts(drafts: list[str], rubrics: list, verdict=None) -> dict:  # type: ignore[no-untyped-def]
    return {
        Role.researcher: [researcher()],
        Role.intent_sentinel: [verdict or sentinel()],
        Role.writer: drafts[:1],
        Role.reviser: drafts[1:],
        Role.qc_reviewer: rubrics,
    }


async def test_passes_without_revision(run_graph: RunGraph) -> None:
    run = await run_graph(scripts([good_article()], [rubric(90)]))
    state = run.state
    assert state.outcome is Outcome.passed, state.outcome_reasons
    assert state.iteration == 0
    assert state.qc is not None and state.qc.overall >= 80
    final = run.articles.finals[state.job_id]
    assert final[:2] == (0, Outcome.passed)
    assert set(state.prompt_hashes) == {"researcher", "intent_sentinel", "writer", "qc_reviewer"}
    assert state.usage_for(Role.writer).output_tokens > 0
    pkg = state.package
    assert pkg.is_complete
    assert pkg.serp_research_extension is not None
    assert pkg.serp_research_extension.data_confidence.value == "high"
    assert len(pkg.serp_research_extension.serp_sets) == 3


@pytest.mark.parametrize("revisions", [1, 2])
async def test_revise_loop_runs_until_pass(run_graph: RunGraph, revisions: int) -> None:
    drafts = [short_article()] * revisions + [good_article()]
    rubrics = [rubric(10 * i, f"round{i}") for i in range(revisions)] + [rubric(90)]
    run = await run_graph(scripts(drafts, rubrics))
    assert run.state.outcome is Outcome.passed, run.state.outcome_reasons
    assert run.state.iteration == revisions
    assert run.calls(Role.reviser) == revisions
    assert run.calls(Role.qc_reviewer) == revisions + 1
    assert len(run.articles.versions) == revisions + 1


async def test_iteration_cap_ends_needs_review_after_three_revisions(run_graph: RunGraph) -> None:
    drafts = [short_article(), short_article(), good_article(), good_article()]
    rubrics = [rubric(0, "a"), rubric(50, "b"), rubric(0, "c"), rubric(0, "d")]
    run = await run_graph(scripts(drafts, rubrics))
    state = run.state
    assert state.outcome is Outcome.needs_review
    assert state.iteration == 3
    assert any("iteration cap" in r for r in state.outcome_reasons)
    assert run.articles.finals[state.job_id][0] == 3  # the last draft is kept for the reviewer


async def test_plateau_stops_early_when_findings_repeat(run_graph: RunGraph) -> None:
    drafts = [good_article(), good_article()]
    run = await run_graph(scripts(drafts, [rubric(0, "same"), rubric(0, "same")]))
    assert run.state.outcome is Outcome.needs_review
    assert run.state.iteration == 1
    assert any("same findings" in r for r in run.state.outcome_reasons)


async def test_low_confidence_is_refused_after_second_research(run_graph: RunGraph) -> None:
    run = await run_graph({}, job=THIN_JOB)
    state = run.state
    assert state.outcome is Outcome.refused
    assert state.research_attempts == 2
    assert any("data_confidence is low" in r for r in state.outcome_reasons)
    assert state.draft_version is None
    assert sum(u.calls for u in state.usage.values()) == 0  # no tokens spent on thin data
    assert run.articles.finals[state.job_id][:2] == (None, Outcome.refused)


class OffTopicSerp(RecordedResearchProvider):
    """The villaliv.se job's pages, but search results about avalanche gear."""

    def __init__(self) -> None:
        super().__init__(RESEARCH_DIR)

    async def search(self, query: str, language: str) -> SerpEvidence:
        return await super().search("avalanche transceiver", "en")


async def test_misaligned_intent_is_refused(run_graph: RunGraph) -> None:
    # The SERP shares nothing with anchor, target or publisher: the evidence backs the
    # sentinel's `off` everywhere, and no bridge can carry it.
    verdict = sentinel(AlignmentLevel.off, AlignmentLevel.off, BridgeType.strong)
    run = await run_graph(scripts([], [], verdict), research=OffTopicSerp())
    assert run.state.outcome is Outcome.refused, (run.state.failure, run.state.outcome_reasons)
    assert any("all off" in r for r in run.state.outcome_reasons)
    assert run.calls(Role.writer) == 0


async def test_evidence_overrules_a_baseless_off_verdict(run_graph: RunGraph) -> None:
    # The SERP echoes anchor and target: a model's `off` cannot refuse this job.
    verdict = sentinel(AlignmentLevel.off, AlignmentLevel.off, BridgeType.strong)
    run = await run_graph(scripts([good_article()], [rubric(90)], verdict))
    assert run.calls(Role.writer) == 1
    intent = run.state.package.intent_extension
    assert intent is not None and intent.intent_alignment.anchor_vs_serp is AlignmentLevel.aligned
    assert "lifted" in intent.notes.rationale


async def test_off_alignment_with_wrapper_bridge_is_written(run_graph: RunGraph) -> None:
    verdict = sentinel(AlignmentLevel.off, AlignmentLevel.partial, BridgeType.wrapper)
    verdict = verdict.model_copy(update={"anchor_vs_serp": AlignmentLevel.off})
    drafts, rubrics = [good_article()] * 4, [rubric(90)] * 4
    run = await run_graph(scripts(drafts, rubrics, verdict), job=GENERIC_JOB)
    assert run.calls(Role.writer) == 1
    # overall `off` is a Next-A1 human-review trigger whatever the score
    assert run.state.outcome is Outcome.needs_review
    assert any("'off'" in r for r in run.state.outcome_reasons), run.state.outcome_reasons


async def test_llm_failure_ends_failed_without_article_text(run_graph: RunGraph) -> None:
    boom = RuntimeError("provider exploded: secret stack")
    run = await run_graph(scripts([boom], []))  # type: ignore[list-item]
    state = run.state
    assert state.outcome is Outcome.failed
    assert state.failure is not None and state.failure.node == "write"
    assert state.failure.kind == "llm_unavailable"
    assert state.draft_version is None
    assert run.articles.versions == {}
    assert run.articles.finals[state.job_id][:2] == (None, Outcome.failed)


async def test_schema_invalid_answer_after_repair_fails_the_job(run_graph: RunGraph) -> None:
    run = await run_graph(
        {Role.researcher: ["not json", "still not json"]},
    )
    assert run.state.outcome is Outcome.failed
    assert run.state.failure is not None and run.state.failure.kind == "llm_output"


class FlakyResearch(RecordedResearchProvider):
    """Fails fetches of the target page with a transient error, `failures_left` times."""

    def __init__(self) -> None:
        super().__init__(RESEARCH_DIR)
        self.failures_left = 1
        self.fetches = 0

    async def fetch_page(self, url: str) -> PageEvidence:
        if url != TARGET:
            return await super().fetch_page(url)
        self.fetches += 1
        if self.failures_left:
            self.failures_left -= 1
            raise TransientFetchError("connection reset", url=url)
        return await super().fetch_page(url)


async def test_transient_research_error_is_retried_by_retry_policy(run_graph: RunGraph) -> None:
    research = FlakyResearch()
    run = await run_graph(scripts([good_article()], [rubric(90)]), research=research)
    assert run.state.outcome is Outcome.passed
    assert run.state.research_attempts == 1
    assert research.fetches >= 2


async def test_persistent_transient_error_fails_after_retries(run_graph: RunGraph) -> None:
    research = FlakyResearch()
    research.failures_left = 99
    run = await run_graph({}, research=research)
    assert run.state.outcome is Outcome.failed
    assert run.state.failure is not None and run.state.failure.kind == "fetch_transient"
    assert research.fetches == 3  # RetryPolicy max_attempts
