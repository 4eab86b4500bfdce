"""The back-tester: identical streams, budget invariants, metrics, outputs and the CLI."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from roasloop.backtest import chart, engine, metrics, output, suite
from roasloop.backtest.engine import Bench, Move, RunSettings
from roasloop.backtest.policies import NAMES, make
from roasloop.entrypoints.cli import app
from roasloop.sandbox.market.scenario import builtin_scenario

SHORT = RunSettings(days=8)


class Idle:
    """A policy that looks at everything and never decides."""

    name = "idle"

    def morning(self, bench: Bench, day: date) -> list[Move]:
        bench.reports.snapshots(day, bench.active)
        return []


def test_a_policy_that_never_decides_equals_static() -> None:
    scenario = builtin_scenario("one_clear_winner")
    static = engine.run(scenario, 3, make("static"), SHORT)
    idle = engine.run(scenario, 3, Idle(), SHORT)
    assert static.daily_spend == idle.daily_spend
    assert static.daily_profit == idle.daily_profit
    assert replace(idle.metrics, policy="static") == static.metrics


def test_static_does_not_depend_on_which_other_policies_ran() -> None:
    scenario = builtin_scenario("late_bloomer")
    first = engine.run(scenario, 5, make("static"), SHORT)
    engine.run(scenario, 5, make("roasloop"), SHORT)
    engine.run(scenario, 5, make("oracle"), SHORT)
    assert engine.run(scenario, 5, make("static"), SHORT) == first


@given(
    family=st.sampled_from(suite.FAMILIES),
    seed=st.integers(0, 10_000),
    policy=st.sampled_from(NAMES),
)
@settings(max_examples=100, deadline=None)
def test_no_run_spends_above_the_account_budget(family: str, seed: int, policy: str) -> None:
    result = engine.run(builtin_scenario(family), seed, make(policy), RunSettings(days=6))
    m = result.metrics
    assert m.spend == sum(result.daily_spend) <= m.budget_total
    assert m.false_pauses <= m.pauses


def test_the_engine_refuses_a_policy_that_overcommits_the_campaign() -> None:
    class Greedy:
        name = "greedy"

        def morning(self, bench: Bench, day: date) -> list[Move]:
            budget = bench.campaign.daily_budget
            return [Move(g, budget) for g in bench.campaign.groups]

    with pytest.raises(AssertionError, match="campaign budget"):
        engine.run(builtin_scenario("all_mediocre"), 1, Greedy(), SHORT)


def test_meta_flex_is_held_to_the_account_budget_by_the_spending_limit() -> None:
    result = engine.run(builtin_scenario("broken_tracking"), 2, make("static"), RunSettings(days=9))
    assert result.metrics.spend <= result.metrics.budget_total
    assert result.metrics.limit_changes >= 0


def _row(family: str, policy: str, seed: int, profit: int) -> engine.RunMetrics:
    return engine.RunMetrics(
        scenario=family,
        family=family,
        seed=seed,
        policy=policy,
        days=30,
        profit=Decimal(profit),
        revenue=Decimal(1000),
        spend=Decimal(500),
        conversions=10,
        learning_resets=0,
        pauses=2,
        false_pauses=1 if policy == "tiered" else 0,
        budget_changes=3,
        limit_changes=0,
        budget_total=Decimal(15000),
    )


def _rows() -> list[engine.RunMetrics]:
    profits = {
        "a": {"static": -100, "oracle": 100, "threshold": 0, "tiered": 20, "roasloop": 80},
        "b": {"static": 0, "oracle": 300, "threshold": 150, "tiered": 60, "roasloop": 240},
    }
    return [
        _row(f, p, seed, v + seed)
        for f, row in profits.items()
        for p, v in row.items()
        for seed in (0, 1)
    ]


def test_gain_share_is_per_family_and_pooled_overall() -> None:
    summaries = {(s.family, s.policy): s for s in metrics.summarise(_rows())}
    assert summaries[("a", "roasloop")].gain_share == pytest.approx(0.9)
    assert summaries[("b", "roasloop")].gain_share == pytest.approx(0.8)
    assert summaries[("overall", "roasloop")].gain_share == pytest.approx((180 + 240) / 500)
    assert summaries[("overall", "tiered")].false_pause_rate == pytest.approx(0.5)
    checks = metrics.target_checks(list(summaries.values()))
    assert [c.met for c in checks] == [True, True, True, True]
    assert checks[1].details() == "all families" and checks[1].details("zh-CN") == "全部场景族"
    assert checks[0].target("zh-CN") == "捕获 ≥ 70% 的可实现收益"


def test_jobs_cover_a_seed_range_for_held_out_tuning_sets() -> None:
    scenarios = [builtin_scenario("noisy_low_volume")]
    todo = suite.jobs(scenarios, 3, ["static", "roasloop"], RunSettings(), first_seed=20)
    assert [(j.seed, j.policy) for j in todo] == [
        (seed, policy) for seed in (20, 21, 22) for policy in ("static", "roasloop")
    ]
    assert {j.seed for j in suite.jobs(scenarios, 2, ["static"], RunSettings())} == {0, 1}


def test_outputs_are_written(tmp_path: Path) -> None:
    rows = _rows()
    summaries = metrics.summarise(rows)
    output.write_results(rows, tmp_path / "results.csv")
    with (tmp_path / "results.csv").open() as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows)
    required = {"scenario", "seed", "policy", "profit", "revenue", "spend", "roas", "cpa"}
    assert required | {"learning_resets", "false_pauses", "budget_changes"} <= set(table[0])
    svg = chart.gain_share_svg(summaries)
    assert ET.fromstring(svg).tag.endswith("svg")
    assert [t.title for t in output.tables(summaries)][-1] == "Overall (families pooled)"
    zh = output.tables(summaries, "zh-CN")[-1]
    assert zh.title == "总体（各场景族合并）" and zh.columns[0].header == "策略"


def test_cli_backtest_writes_results_and_chart(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    source = builtin_scenario("weekly_seasonality").model_dump_json()
    (scenarios / "weekly.json").write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "backtest",
            "--policies",
            "static,oracle,threshold,tiered,roasloop",
            "--days",
            "5",
            "--seeds",
            "2",
            "--workers",
            "1",
            "--scenarios",
            str(scenarios),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Overall" in result.output
    assert "the better of threshold and tiered" in " ".join(result.output.split())
    assert not re.search(r"\bmet\b", result.output)  # no pass/fail lines about our own targets
    with (out / "results.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 2 * 5
    assert (out / "gain_share.svg").read_text().startswith("<svg")
    assert (out / "summary.csv").exists()


def test_cli_rejects_unknown_policies(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["backtest", "--policies", "magic", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_paired_gaps_compare_with_the_better_seed_policy_seed_by_seed() -> None:
    by_seed = [(10, 0, 5), (30, 0, 15), (20, 0, 10)]  # roasloop, threshold, tiered
    rows = [
        _row("a", policy, seed, value)
        for seed, values in enumerate(by_seed)
        for policy, value in zip(("roasloop", *metrics.SEEDS), values, strict=True)
    ]
    (gap,) = metrics.paired_gaps(rows)
    assert (gap.family, gap.rival, gap.seeds) == ("a", "tiered", 3)
    assert gap.mean == pytest.approx(10.0)  # differences 5, 15, 10
    half = 4.302653 * 5.0 / 3**0.5  # t(0.975, 2) × sd / √n
    assert (gap.low, gap.high) == (pytest.approx(10 - half), pytest.approx(10 + half))
    rivals = {g.family: g.rival for g in metrics.paired_gaps(_rows())}
    assert rivals == {"a": "tiered", "b": "threshold"}
    zh = output.paired_table(metrics.paired_gaps(rows), locale="zh-CN")
    assert zh.columns[0].header == "场景族" and zh.row_count == 1


def test_cli_backtest_takes_a_pause_stance_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    common = ["backtest", "--policies", "roasloop", "--days", "3", "--seeds", "1"]
    ok = CliRunner().invoke(
        app, [*common, "--workers", "1", "--pause-stance", "decisive", "--out", str(tmp_path)]
    )
    assert ok.exit_code == 0, ok.output
    refused = CliRunner().invoke(app, [*common, "--pause-stance", "reckless"])
    assert refused.exit_code == 2 and "reckless" in refused.output


def test_behind_lists_the_families_where_a_seed_policy_earned_more() -> None:
    rows = [
        replace(r, profit=Decimal(10)) if r.family == "a" and r.policy == "roasloop" else r
        for r in _rows()
    ]
    summaries = metrics.summarise(rows)
    assert metrics.behind(summaries) == [("a", 10.0, 20.5)]  # tiered: 20 and 21
    assert metrics.better_seed(summaries).policy == "threshold"
    assert not metrics.target_checks(summaries)[1].met
