"""bench.compare on fabricated figures: direction, tolerance, references, missing figures."""

from __future__ import annotations

import json

from bench.compare import compare, parse_figures, regressions


def _line(figure: str, variant: str, value: float, better: str, **extra: object) -> str:
    return json.dumps(
        {"figure": figure, "variant": variant, "value": value, "unit": "u", "better": better}
        | extra
    )


RECORDED = "\n".join(
    [
        "# Results",
        "Some prose { not json",
        "```",
        _line("overhead", "bacowr_job", 10.0, "lower"),
        _line("overhead", "none", 0.0, "lower"),
        _line("overhead", "stock_pg", 10.0, "lower", gate=False),
        _line("throughput", "inproc_c50", 20.0, "higher"),
        _line("memory", "rss_slope", 100.0, "lower"),
        '{"figure": "no_direction", "value": 1}',
        "```",
    ]
)


def test_parse_reads_json_lines_inside_markdown() -> None:
    figures = parse_figures(RECORDED)
    assert set(figures) == {
        ("overhead", "bacowr_job"),
        ("overhead", "none"),
        ("overhead", "stock_pg"),
        ("throughput", "inproc_c50"),
        ("memory", "rss_slope"),
    }
    assert figures[("overhead", "stock_pg")].gate is False


def test_within_tolerance_passes_and_direction_counts() -> None:
    current = parse_figures(
        "\n".join(
            [
                _line("overhead", "bacowr_job", 12.4, "lower"),  # 24% worse: ok
                _line("throughput", "inproc_c50", 30.0, "higher"),  # 50% better
                _line("memory", "rss_slope", 50.0, "lower"),  # 50% better
            ]
        )
    )
    verdicts = {v.key: v for v in compare(parse_figures(RECORDED), current)}
    assert verdicts[("overhead", "bacowr_job")].status == "ok"
    assert verdicts[("throughput", "inproc_c50")].status == "better"
    assert verdicts[("memory", "rss_slope")].status == "better"
    assert verdicts[("overhead", "stock_pg")].status == "missing"
    assert not regressions(verdicts.values())


def test_more_than_tolerance_worse_is_a_regression_in_either_direction() -> None:
    current = parse_figures(
        "\n".join(
            [
                _line("overhead", "bacowr_job", 12.6, "lower"),  # 26% worse
                _line("throughput", "inproc_c50", 14.0, "higher"),  # 30% worse
                _line("memory", "rss_slope", 120.0, "lower"),  # 20% worse: ok
            ]
        )
    )
    failed = regressions(compare(parse_figures(RECORDED), current))
    assert {v.key for v in failed} == {("overhead", "bacowr_job"), ("throughput", "inproc_c50")}
    change = {v.key: v.change for v in failed}
    assert change[("throughput", "inproc_c50")] == 0.3


def test_references_and_zero_baselines_never_fail() -> None:
    current = parse_figures(
        "\n".join(
            [
                _line("overhead", "stock_pg", 100.0, "lower"),
                _line("overhead", "none", 5.0, "lower"),
            ]
        )
    )
    verdicts = {v.key: v.status for v in compare(parse_figures(RECORDED), current)}
    assert verdicts[("overhead", "stock_pg")] == "reference"
    assert verdicts[("overhead", "none")] == "skipped"
    assert not regressions(compare(parse_figures(RECORDED), current))


def test_tolerance_is_configurable() -> None:
    current = parse_figures(_line("overhead", "bacowr_job", 11.0, "lower"))
    assert regressions(compare(parse_figures(RECORDED), current, tolerance=0.05))
    assert not regressions(compare(parse_figures(RECORDED), current, tolerance=0.25))
