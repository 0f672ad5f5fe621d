"""Prometheus metrics of one API process, on its own CollectorRegistry (no global state).

Two kinds of series:
- from the ledger, recomputed at each scrape (`refresh`): jobs by status, queue depth, node
  durations and errors (from the job events), QC scores of ended jobs, usage totals, breaker
  states; these are the same whichever process scrapes them;
- counted by this process as things happen: HTTP requests, and LLM calls with their latency,
  tokens and cost by role and model (`llm_observer`, fed by the LangChain callback hook).
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from services.metrics_llm import LLMCall, LLMObserver
from services.metrics_queries import HistogramData, LedgerStats, MetricsRepository
from services.observability import redact
from services.runtime import AppRuntime
from storage.records import JobStatus

__all__ = ["CONTENT_TYPE", "ApiMetrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NODE_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
QC_BUCKETS = (30, 50, 60, 70, 80, 85, 90, 95, 100)
LLM_BUCKETS_S = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 45, 90, 180)
BREAKER_STATES = ("closed", "half-opened", "opened")


class _LedgerCollector(Collector):
    """Yield the last ledger snapshot as metric families."""

    def __init__(self) -> None:
        self.stats = LedgerStats()
        self.breakers: dict[str, str] = {}

    def collect(self) -> Iterable[Metric]:
        stats = self.stats
        jobs = GaugeMetricFamily("bacowr_jobs", "Jobs in the ledger by status.", labels=["status"])
        for status in JobStatus:
            jobs.add_metric([status.value], stats.jobs_by_status.get(status.value, 0))
        yield jobs
        yield GaugeMetricFamily(
            "bacowr_queue_depth",
            "Jobs waiting to be claimed.",
            value=stats.jobs_by_status.get("queued", 0),
        )
        nodes = HistogramMetricFamily(
            "bacowr_node_duration_seconds", "Time spent in each graph node.", labels=["node"]
        )
        for node, data in sorted(stats.node_seconds.items()):
            nodes.add_metric([node], _buckets(data), data.total)
        yield nodes
        errors = GaugeMetricFamily(
            "bacowr_node_errors", "Node runs that ended in an error.", labels=["node"]
        )
        for node, count in sorted(stats.node_errors.items()):
            errors.add_metric([node], count)
        yield errors
        qc = HistogramMetricFamily("bacowr_qc_score", "QC score of ended jobs (0-100).")
        if stats.qc_scores is not None:
            qc.add_metric([], _buckets(stats.qc_scores), stats.qc_scores.total)
        yield qc
        tokens = GaugeMetricFamily(
            "bacowr_ledger_tokens", "Tokens recorded by all jobs.", labels=["direction"]
        )
        tokens.add_metric(["input"], stats.tokens_in)
        tokens.add_metric(["output"], stats.tokens_out)
        yield tokens
        yield GaugeMetricFamily(
            "bacowr_ledger_cost_usd", "Cost recorded by all jobs (USD).", value=stats.cost_usd
        )
        breakers = GaugeMetricFamily(
            "bacowr_breaker_state",
            "Circuit breaker state per model endpoint (1 = in that state).",
            labels=["endpoint", "state"],
        )
        for endpoint, current in sorted(self.breakers.items()):
            for state in BREAKER_STATES:
                breakers.add_metric([redact(endpoint), state], float(current == state))
        yield breakers


def _buckets(data: HistogramData) -> list[tuple[str, float]]:
    return [*((str(bound), float(n)) for bound, n in data.buckets), ("+Inf", float(data.count))]


class ApiMetrics:
    """The metrics of one app: a private registry, the ledger collector, live counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._ledger = _LedgerCollector()
        self.registry.register(self._ledger)
        self.http_requests = Counter(
            "bacowr_http_requests",
            "HTTP requests handled, by route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            "bacowr_http_request_duration_seconds",
            "Time to the response's start, by route template.",
            ["method", "route"],
            registry=self.registry,
        )
        labels = ["role", "model"]
        self.llm_seconds = Histogram(
            "bacowr_llm_call_duration_seconds",
            "LLM call latency (one HTTP call; retries count apart).",
            labels,
            buckets=LLM_BUCKETS_S,
            registry=self.registry,
        )
        self.llm_errors = Counter(
            "bacowr_llm_call_errors", "LLM calls that raised.", [*labels, "error"],
            registry=self.registry,
        )  # fmt: skip
        self.llm_tokens = Counter(
            "bacowr_llm_tokens", "Tokens used by LLM calls.", [*labels, "direction"],
            registry=self.registry,
        )  # fmt: skip
        self.llm_cost = Counter(
            "bacowr_llm_cost_usd", "Cost of LLM calls (USD, from model_prices).", labels,
            registry=self.registry,
        )  # fmt: skip

    def llm_observer(self, rt: AppRuntime) -> LLMObserver:
        """Return a LangChain callback handler that feeds the LLM series."""
        return LLMObserver(self.record_llm_call, rt.settings.model_prices)

    def record_llm_call(self, call: LLMCall) -> None:
        """Count one LLM call."""
        self.llm_seconds.labels(call.role, call.model).observe(call.seconds)
        if call.error:
            self.llm_errors.labels(call.role, call.model, call.error).inc()
            return
        self.llm_tokens.labels(call.role, call.model, "input").inc(call.input_tokens)
        self.llm_tokens.labels(call.role, call.model, "output").inc(call.output_tokens)
        self.llm_cost.labels(call.role, call.model).inc(call.cost_usd)

    def record_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one HTTP request."""
        self.http_requests.labels(method, route, str(status)).inc()
        self.http_seconds.labels(method, route).observe(seconds)

    async def refresh(self, rt: AppRuntime) -> None:
        """Recompute the ledger series (call before rendering a scrape)."""
        repo = MetricsRepository(rt.pool)
        self._ledger.stats = await repo.stats(NODE_BUCKETS_S, QC_BUCKETS)
        self._ledger.breakers = await rt.guards.states()

    def render(self) -> bytes:
        """Return the registry in the Prometheus text format."""
        return generate_latest(self.registry)
