"""The roasloop policy reads delivery (clicks per dollar) the evening it happens."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from roasloop.decisions.policies import estimates as est
from roasloop.decisions.policies import marginal_roas
from roasloop.decisions.policies.config import RoasloopConfig
from roasloop.decisions.policies.context import PolicyContext
from roasloop.decisions.policies.evidence import clicks_per_dollar, gather
from roasloop.decisions.snapshot import AdSetSnapshot, Targets
from roasloop.domain.metrics import MetricTotals
from roasloop.platforms.tiktok.client import TikTokAdapter
from tests.unit.strategies import active_adset, metrics_day

MATURITY = TikTokAdapter.capabilities.report_visibility
START = date(2026, 3, 2)


def day(spend: float, clicks: int, conversions: int, aov: float = 80.0) -> MetricTotals:
    return metrics_day(spend, conversions, clicks=clicks, aov=aov)


def adset(key: str, rows: list[MetricTotals], budget: float = 100.0) -> AdSetSnapshot:
    return active_adset(key, rows, START, budget)


def ctx(days: int) -> PolicyContext:
    return PolicyContext(
        as_of=START + timedelta(days=days - 1),
        campaign_budget=Decimal(500),
        min_budget=Decimal(20),
        step_cap=Decimal("0.5"),
        learning={},
    )


def evidence(snapshot: AdSetSnapshot, half_life: float) -> float:
    found = gather(
        snapshot,
        snapshot.history[-1].day,
        MATURITY,
        window_days=21,
        half_life_days=14.0,
        min_visible=0.5,
        click_half_life=half_life,
    )
    return found.exposure


def test_clicks_per_dollar_follows_the_latest_days_and_needs_clicks() -> None:
    rows = [day(100, 200, 3)] * 5 + [day(100, 50, 3)] * 2
    now = clicks_per_dollar(adset("a", rows), half_life=1.0)
    assert now is not None and 0.5 < now < 1.0  # between the old 2.0 and the new 0.5, near 0.5
    assert clicks_per_dollar(adset("b", [day(100, 0, 3)] * 3), half_life=1.0) is None


def test_exposure_counts_past_days_at_todays_clicks_per_dollar() -> None:
    steady = adset("steady", [day(100, 200, 3)] * 8)
    assert evidence(steady, 1.0) == pytest.approx(evidence(steady, 0.0))
    # CTR quartered on the last two days: the older dollars bought four times today's clicks.
    worn = adset("worn", [day(100, 200, 3)] * 6 + [day(100, 50, 0)] * 2)
    assert evidence(worn, 1.0) > 2.0 * evidence(worn, 0.0)


def _estimates(snapshots: list[AdSetSnapshot], config: RoasloopConfig) -> dict[str, float]:
    context = ctx(len(snapshots[0].history))
    targets = Targets(Decimal(2))
    views = est.gather_views(snapshots, context, config, frozenset())
    campaign = est.pool(views, targets, snapshots, context, config, frozenset())
    assert campaign is not None
    rng = np.random.default_rng(0)
    return {
        s.adset_id: float(np.median(est.estimate(s, views, campaign, context, config, rng).roas))
        for s in snapshots
    }


def test_a_thin_ad_set_borrows_conversions_per_click_not_per_dollar() -> None:
    siblings = [adset(k, [day(100, 200, 4)] * 10) for k in "abc"]
    # Two days at a low budget, twice the siblings' clicks per dollar, no sale reported yet.
    newcomer = adset("new", [day(0, 0, 0)] * 8 + [day(20, 80, 0)] * 2, budget=20)
    snapshots = [*siblings, newcomer]
    per_click = _estimates(snapshots, RoasloopConfig())
    per_dollar = _estimates(snapshots, replace(RoasloopConfig(), click_half_life=0.0))
    assert per_click["new"] > 1.5 * per_click["a"]
    assert per_dollar["new"] < 1.2 * per_dollar["a"]


def test_a_creative_whose_clicks_collapse_is_cut_before_its_sales_do() -> None:
    # ROAS 2.4 against a break-even of 2 until the last two days, when the clicks a dollar
    # buys fell to a quarter; those days' sales are not yet reported in full.
    fresh = adset("fresh", [day(100, 200, 3)] * 10)
    worn = adset("worn", [day(100, 200, 3)] * 8 + [day(100, 50, 1)] * 2)
    decisions = {
        d.adset_id: d for d in marginal_roas.decide([fresh, worn], Targets(Decimal(2)), ctx(10))
    }
    assert decisions["worn"].action in {"decrease_budget", "pause"}
    assert "fresh" not in decisions or decisions["fresh"].action == "increase_budget"


def test_without_everyones_clicks_the_prior_pools_per_dollar() -> None:
    clicked = gather(
        adset("a", [day(100, 200, 3)] * 5),
        START + timedelta(days=4),
        MATURITY,
        window_days=21,
        half_life_days=14.0,
        min_visible=0.5,
        click_half_life=1.0,
    )
    blind = replace(clicked, clicks_per_dollar=None)
    assert est.click_offsets([clicked, clicked]) == pytest.approx([np.log(2.0)] * 2)
    assert est.click_offsets([clicked, blind]) == [0.0, 0.0]
