"""The LLM layer against a loopback OpenAI-compatible server: retries, Retry-After, fallback,
circuit breaker, rate limits and budgets, all counted at the server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from agents.budget import BatchBudget, JobBudget
from agents.factory import build_chains
from agents.limits import GuardRegistry
from agents.prompts import PromptLoader
from agents.role_agent import RoleAgent
from schemas.enums import Role
from schemas.errors import BudgetExceededError, LLMOutputError, LLMUnavailableError
from schemas.qc import QCRubric
from schemas.settings import EndpointSettings, ModelPrice, RoleSettings, Settings
from tests.fakes.openai_server import FakeOpenAI, Reply, free_port, serve

RUBRIC = json.dumps(
    {"items": [{"criterion": "FIT", "score": 70, "finding": "ok", "fix": "shorter"}]}
)
MESSAGES = [HumanMessage(content="hello")]


class Sleeps:
    """Records backoff waits instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with serve(FakeOpenAI()) as server:
        yield server


@pytest.fixture
def backup() -> Iterator[FakeOpenAI]:
    with serve(FakeOpenAI(lambda body: Reply(content=RUBRIC))) as server:
        yield server


def settings_for(*urls: str, **extra: object) -> Settings:
    models = [EndpointSettings(base_url=u, model=f"m{i}") for i, u in enumerate(urls)]
    return Settings(
        llm_timeout_s=1.0,
        llm_retry_attempts=3,
        llm_retry_base_delay_s=0.01,
        roles={role: RoleSettings(models=models) for role in Role},
        **extra,  # type: ignore[arg-type]
    )


def chain(settings: Settings, guards: GuardRegistry | None = None, sleeps: Sleeps | None = None):  # type: ignore[no-untyped-def]
    c = build_chains(settings, guards=guards or GuardRegistry())[Role.qc_reviewer]
    if sleeps is not None:
        c._sleep = sleeps
    return c


async def test_429_is_retried_after_retry_after(fake: FakeOpenAI) -> None:
    fake.script = [Reply(429, "slow down", {"retry-after": "2"}), Reply(content="hi")]
    sleeps = Sleeps()
    result = await chain(settings_for(fake.base_url), sleeps=sleeps).ainvoke(MESSAGES)
    assert result.message.content == "hi"
    assert len(fake.requests) == 2
    assert sleeps.waits[0] >= 2.0  # the server's Retry-After, not the 10 ms backoff


async def test_5xx_is_retried_with_growing_backoff(fake: FakeOpenAI) -> None:
    fake.script = [Reply(500), Reply(503), Reply(content="ok")]
    sleeps = Sleeps()
    result = await chain(settings_for(fake.base_url), sleeps=sleeps).ainvoke(MESSAGES)
    assert result.message.content == "ok"
    assert len(fake.requests) == 3
    assert sleeps.waits[1] > sleeps.waits[0]


async def test_timeout_is_retried(fake: FakeOpenAI) -> None:
    fake.script = [Reply(content="late", delay_s=2.0), Reply(content="fast")]
    result = await chain(settings_for(fake.base_url), sleeps=Sleeps()).ainvoke(MESSAGES)
    assert result.message.content == "fast"


async def test_400_fails_fast_without_retry_then_falls_back(
    fake: FakeOpenAI, backup: FakeOpenAI
) -> None:
    fake.script = [Reply(400, "bad request")]
    result = await chain(settings_for(fake.base_url, backup.base_url)).ainvoke(MESSAGES)
    assert len(fake.requests) == 1
    assert result.endpoint.startswith("m1@")


async def test_down_endpoint_falls_back_to_next_model(backup: FakeOpenAI) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"
    sleeps = Sleeps()
    result = await chain(settings_for(down, backup.base_url), sleeps=sleeps).ainvoke(MESSAGES)
    assert result.endpoint.startswith("m1@")
    assert len(sleeps.waits) == 2  # the dead endpoint was retried before falling back


async def test_all_endpoints_failing_raises_typed_error(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(502)
    with pytest.raises(LLMUnavailableError, match="every model of the chain failed"):
        await chain(settings_for(fake.base_url), sleeps=Sleeps()).ainvoke(MESSAGES)
    assert len(fake.requests) == 3


async def test_malformed_json_body_falls_back(fake: FakeOpenAI, backup: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(raw_body=b"{not json")
    result = await chain(settings_for(fake.base_url, backup.base_url), sleeps=Sleeps()).ainvoke(
        MESSAGES
    )
    assert result.endpoint.startswith("m1@")


@pytest.fixture
def qc_prompts(tmp_path: Path) -> PromptLoader:
    (tmp_path / "qc_reviewer.md").write_text("## System\nJudge.\n\n## User\n{article}\n", "utf-8")
    return PromptLoader(tmp_path)


async def test_schema_invalid_json_is_repaired_with_error_sent_back(
    fake: FakeOpenAI, qc_prompts: PromptLoader
) -> None:
    bad = json.dumps({"items": [{"criterion": "FIT", "score": 400, "finding": "", "fix": ""}]})
    fake.script = [Reply(content=bad), Reply(content=RUBRIC)]
    agent = RoleAgent(Role.qc_reviewer, qc_prompts, chain(settings_for(fake.base_url)), QCRubric)
    result = await agent.run({"article": "x"})
    assert result.output.items[0].score == 70
    repair = fake.requests[1].body["messages"][-1]["content"]
    assert "items.0.score" in repair
    assert fake.requests[0].body["response_format"]["type"] == "json_schema"


async def test_schema_invalid_twice_fails_fast(fake: FakeOpenAI, qc_prompts: PromptLoader) -> None:
    fake.responder = lambda body: Reply(content='{"items": []}')
    agent = RoleAgent(Role.qc_reviewer, qc_prompts, chain(settings_for(fake.base_url)), QCRubric)
    with pytest.raises(LLMOutputError):
        await agent.run({"article": "x"})
    assert len(fake.requests) == 2  # one answer, one repair: no retries


async def test_breaker_opens_then_half_opens_and_closes(
    fake: FakeOpenAI, backup: FakeOpenAI
) -> None:
    guards = GuardRegistry(failure_threshold=2, cooldown_s=0.3)
    c = chain(settings_for(fake.base_url, backup.base_url), guards, Sleeps())
    primary = c.endpoints[0].name
    fake.responder = lambda body: Reply(500)
    await c.ainvoke(MESSAGES)  # 2 failures open the circuit; the backup answers
    assert (await guards.states())[primary] == "opened"
    served = len(fake.requests)
    await c.ainvoke(MESSAGES)
    assert len(fake.requests) == served  # skipped while open
    await asyncio.sleep(0.35)
    fake.responder = lambda body: Reply(content="back")
    result = await c.ainvoke(MESSAGES)  # half-open probe succeeds
    assert result.message.content == "back"
    assert (await guards.states())[primary] == "closed"


async def test_non_transient_errors_do_not_open_the_breaker(fake: FakeOpenAI) -> None:
    guards = GuardRegistry(failure_threshold=1, cooldown_s=60)
    c = chain(settings_for(fake.base_url), guards)
    fake.script = [Reply(400), Reply(content="fine")]
    with pytest.raises(LLMUnavailableError):
        await c.ainvoke(MESSAGES)
    assert (await guards.states())[c.endpoints[0].name] == "closed"
    assert (await c.ainvoke(MESSAGES)).message.content == "fine"


async def test_requests_per_minute_are_shared_and_never_exceeded(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(content="ok")
    rpm = 600
    s = settings_for(fake.base_url, llm_rpm=rpm)
    # The limit is rpm per 60 s window; the test shrinks the window to 1 s (10 requests).
    guards = GuardRegistry(rate_window_s=1.0)
    chains = build_chains(s, guards=guards)  # every role shares the endpoint's limiter
    calls = [chains[role].ainvoke(MESSAGES) for role in Role for _ in range(5)]
    await asyncio.gather(*calls)
    times = sorted(r.at for r in fake.requests)
    assert len(times) == 25
    for i, start in enumerate(times):
        in_window = sum(1 for t in times[i:] if t - start < 1.0)
        assert in_window <= 10, f"{in_window} requests within one window"
    assert times[-1] - times[0] >= 1.9  # 25 requests need at least two more windows


async def test_article_budget_stops_the_job(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(content="ok", usage=(1000, 1000))
    s = settings_for(
        fake.base_url, model_prices={"m0": ModelPrice(input_per_mtok=5, output_per_mtok=15)}
    )
    c = chain(s)
    budget = JobBudget(limit_usd=0.05)
    for _ in range(2):
        await c.ainvoke(MESSAGES, sink=budget)
    assert budget.spent_usd == pytest.approx(0.04)
    await c.ainvoke(MESSAGES, sink=budget)  # 0.04 < 0.05: allowed, then over
    with pytest.raises(BudgetExceededError, match="article budget"):
        await c.ainvoke(MESSAGES, sink=budget)
    assert len(fake.requests) == 3


async def test_batch_budget_is_shared_by_jobs(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(content="ok", usage=(1000, 1000))
    s = settings_for(
        fake.base_url, model_prices={"m0": ModelPrice(input_per_mtok=5, output_per_mtok=15)}
    )
    batch = BatchBudget(limit_usd=0.03)
    first, second = JobBudget(batch=batch), JobBudget(batch=batch)
    c = chain(s)
    await c.ainvoke(MESSAGES, sink=first)
    await c.ainvoke(MESSAGES, sink=second)
    with pytest.raises(BudgetExceededError, match="batch budget"):
        await c.ainvoke(MESSAGES, sink=first)
