"""The one builder of a budget policy's inputs, shared by optimize_budget and the back-test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from roasloop.backtest.campaigns import capabilities
from roasloop.backtest.engine import RunSettings, new_bench
from roasloop.backtest.policies import NAMES, WITH_STORE_ORDERS, ReportPolicy, context_for, make
from roasloop.decisions.policies.context import PolicyContext, policy_context
from roasloop.decisions.policies.estimates import status
from roasloop.decisions.snapshot import AdSetSnapshot, DailyPoint
from roasloop.domain.enums import EntityStatus, LearningStatus
from roasloop.domain.metrics import MetricTotals
from roasloop.sandbox.market.scenario import builtin_scenarios

TODAY = date(2026, 3, 20)
YESTERDAY = TODAY - timedelta(days=1)


@dataclass(frozen=True)
class Facts:
    min_adset_daily_budget: Decimal = Decimal("20")
    safe_budget_step: Decimal = Decimal("0.50")
    report_visibility: tuple[float, ...] = (0.4, 0.9, 1.0)


def build(**changes: object) -> PolicyContext:
    arguments: dict[str, object] = {
        "campaign_budget": Decimal("500"),
        "platform": Facts(),
        "guard_cap": Decimal("0.50"),
        "edited": {"a": date(2026, 3, 10)},
        "seed": 7,
    }
    return policy_context(TODAY, **{**arguments, **changes})  # type: ignore[arg-type]


def test_the_reports_reflect_the_end_of_yesterday_and_the_platform_facts_pass_through() -> None:
    context = build()
    assert context.as_of == YESTERDAY
    assert context.min_budget == Decimal("20")
    assert context.maturity == (0.4, 0.9, 1.0)
    assert context.campaign_budget == Decimal("500")
    assert context.edited == {"a": date(2026, 3, 10)}
    assert context.seed == 7


def test_production_defaults_no_shop_and_no_reported_learning() -> None:
    context = build()
    assert context.store_revenue == {}
    assert context.learning == {}
    assert context.reported_share == 1.0


@given(
    safe=st.sampled_from(["0.20", "0.50"]),
    guard=st.sampled_from(["0.10", "0.30", "0.50"]),
    own=st.sampled_from([None, "0.20", "0.50"]),
)
def test_the_step_is_the_platforms_no_reset_step_or_the_callers_never_above_the_guard(
    safe: str, guard: str, own: str | None
) -> None:
    facts = Facts(safe_budget_step=Decimal(safe))
    context = build(
        platform=facts, guard_cap=Decimal(guard), step_cap=None if own is None else Decimal(own)
    )
    assert context.step_cap == min(Decimal(guard), Decimal(own or safe))


def test_store_revenue_is_used_when_a_shop_is_connected_but_never_todays_partial_day() -> None:
    revenue = {YESTERDAY: Decimal("120.50"), TODAY: Decimal("33"), date(2026, 3, 1): Decimal(0)}
    context = build(store_revenue=revenue)
    assert context.store_revenue == {YESTERDAY: Decimal("120.50"), date(2026, 3, 1): Decimal(0)}


def _snapshot(days: int, conversions: int) -> AdSetSnapshot:
    start = TODAY - timedelta(days=days)
    points = tuple(
        DailyPoint(start + timedelta(days=i), MetricTotals(conversions=conversions))
        for i in range(days)
    )
    return AdSetSnapshot("a", "a", EntityStatus.ACTIVE, Decimal("50"), points)


def test_the_platforms_learning_status_wins_and_a_missing_one_is_inferred() -> None:
    young = _snapshot(days=3, conversions=1)  # inferred: still learning
    old = _snapshot(days=20, conversions=10)  # inferred: learned
    reported = build(learning={"a": LearningStatus.LIMITED})
    assert status(young, reported) is LearningStatus.LIMITED
    assert status(old, build(learning={"a": LearningStatus.LEARNING})) is LearningStatus.LEARNING
    assert status(young, build()) is LearningStatus.LEARNING
    assert status(old, build(edited={})) is LearningStatus.ACTIVE


def test_the_back_test_builds_its_context_with_the_same_builder() -> None:
    scenario = builtin_scenarios()["one_clear_winner"]
    bench = new_bench(scenario, 3, RunSettings(days=5))
    day = bench.settings.start + timedelta(days=2)
    context = context_for(bench, day)
    assert context.as_of == day - timedelta(days=1)
    assert context.step_cap <= bench.settings.guard_cap
    assert context.min_budget == bench.campaign.minimum
    assert context.maturity == capabilities(scenario.platform).report_visibility


def test_the_back_tests_headline_has_production_inputs_no_shop_and_the_platforms_field() -> None:
    tiktok = new_bench(builtin_scenarios()["one_clear_winner"], 3, RunSettings(days=5))
    day = tiktok.settings.start + timedelta(days=2)
    assert tiktok.market.learning_state("adset-1", day) == "learning"
    headline = context_for(tiktok, day)
    assert headline.store_revenue == {} and headline.learning == {}  # TikTok reports none
    assert context_for(tiktok, day, store_orders=True).store_revenue  # a shop connected
    meta = new_bench(builtin_scenarios()["broken_tracking"], 3, RunSettings(days=5))
    meta.active["adset-2"] = False
    learning = context_for(meta, day).learning
    assert learning == {g: LearningStatus.LEARNING for g in meta.campaign.groups if g != "adset-2"}


def test_with_store_orders_is_roasloop_with_a_shop_connected() -> None:
    policy = make(WITH_STORE_ORDERS)
    assert isinstance(policy, ReportPolicy) and policy.name == WITH_STORE_ORDERS
    assert (policy.policy, policy.store_orders) == ("roasloop", True)
    assert WITH_STORE_ORDERS in NAMES and RunSettings().store_orders is False
