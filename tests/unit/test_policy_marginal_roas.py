"""The roasloop policy's parts: delay profile, posterior, allocation, guards, its decisions."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from roasloop.decisions.policies import marginal_roas
from roasloop.decisions.policies.allocation import Response, allocate
from roasloop.decisions.policies.anomaly import find_anomalies
from roasloop.decisions.policies.campaign_cap import fit_to_campaign_budget
from roasloop.decisions.policies.context import PolicyContext
from roasloop.decisions.policies.estimates import gather_views
from roasloop.decisions.policies.evidence import gather
from roasloop.decisions.policies.posterior import CurvePrior, fit_curve
from roasloop.decisions.policies.tracking import reported_share
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, Targets
from roasloop.domain.attribution import DELAY_7DC, profile, visible_share
from roasloop.domain.metrics import MetricTotals
from roasloop.i18n import both
from roasloop.platforms.tiktok.client import REPORT_LAG, TikTokAdapter
from tests.unit.strategies import active_adset, metrics_day

TIKTOK_MATURITY = TikTokAdapter.capabilities.report_visibility
START = date(2026, 3, 2)


def day(spend: float, conversions: int, aov: float = 80.0) -> MetricTotals:
    return metrics_day(spend, conversions, aov=aov)


def adset(key: str, rows: list[MetricTotals], budget: float = 100.0) -> AdSetSnapshot:
    return active_adset(key, rows, START, budget)


def ctx(days: int, **extra: object) -> PolicyContext:
    base: dict[str, object] = {
        "as_of": START + timedelta(days=days - 1),
        "campaign_budget": Decimal(500),
        "min_budget": Decimal(20),
        "step_cap": Decimal("0.5"),
        "learning": {},
    }
    return PolicyContext(**{**base, **extra})  # type: ignore[arg-type]


def test_maturity_profile_is_the_cdf_of_delay_plus_reporting_lag() -> None:
    cdf = profile(DELAY_7DC, REPORT_LAG)
    assert cdf == TIKTOK_MATURITY
    assert cdf[0] == pytest.approx(0.55 * 0.75)
    assert list(cdf) == sorted(cdf) and cdf[-1] == 1.0
    assert visible_share(cdf, -1) == 0.0 and visible_share(cdf, 99) == 1.0


def test_gather_weights_days_by_visible_share_and_skips_young_ones() -> None:
    snap = adset("a", [day(100, 4)] * 5)
    evidence = gather(
        snap,
        START + timedelta(days=4),
        TIKTOK_MATURITY,
        window_days=21,
        half_life_days=7.0,
        min_visible=0.5,
    )
    assert evidence.matured_days == 4  # the report day itself is only 41 % visible
    assert evidence.exposure == pytest.approx(
        sum(100 * TIKTOK_MATURITY[a] * 0.5 ** (a / 7) for a in range(1, 5))
    )


def test_by_default_the_report_day_counts_at_its_visible_share() -> None:
    """The morning after launch already has evidence: the launch day, ~41 % reported."""
    views = gather_views(
        [adset("a", [day(100, 4)])],
        ctx(1, maturity=TIKTOK_MATURITY),
        marginal_roas.RoasloopConfig(),
        frozenset(),
    )
    evidence = views.now["a"]
    assert evidence.matured_days == 1
    assert evidence.days[0].visible == pytest.approx(TIKTOK_MATURITY[0])
    assert 0.25 <= TIKTOK_MATURITY[0] < 0.5


def test_posterior_recovers_rate_and_elasticity_from_varied_spend() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(21):
        spend = 100.0 * (1.6 if i % 3 == 0 else 0.7 if i % 3 == 1 else 1.0)
        rate = 0.04 * (spend / 100.0) ** -0.3
        rows.append(day(spend, int(rng.poisson(spend * rate))))
    snap = adset("a", rows)
    evidence = gather(
        snap,
        START + timedelta(days=40),
        TIKTOK_MATURITY,
        window_days=21,
        half_life_days=1e9,
        min_visible=0.5,
    )
    curve = fit_curve(evidence, 100.0, CurvePrior(math.log(0.03), 1.0, 0.0, 0.001, 0.2, 0.3, 1.0))
    assert math.exp(curve.mean[0]) == pytest.approx(0.04, rel=0.15)
    assert curve.mean[2] == pytest.approx(0.3, abs=0.15)


def test_allocation_equalises_marginal_roas_like_the_kkt_solution() -> None:
    curves = [Response(rho=r, eps=0.5, anchor=100.0, low=1.0, high=1e6) for r in (4.0, 2.0)]
    spends, price = allocate(curves, floor_price=1.0, total=300.0)
    assert sum(spends) == pytest.approx(300.0)
    # revenue_i = rho_i * 100^0.5 * s^0.5 → s_i ∝ rho_i²: 240 / 60.
    assert spends == pytest.approx([240.0, 60.0], rel=1e-6)
    assert curves[0].marginal(spends[0]) == pytest.approx(price)
    assert curves[1].marginal(spends[1]) == pytest.approx(price)


def test_allocation_leaves_budget_unspent_below_break_even() -> None:
    curves = [Response(rho=1.2, eps=0.3, anchor=100.0, low=50.0, high=150.0)]
    spends, price = allocate(curves, floor_price=2.0, total=500.0)
    assert spends == [50.0] and price == 2.0


def test_below_the_knee_marginal_roas_is_the_average_and_the_curve_bends_above_it() -> None:
    curve = Response(rho=2.0, eps=0.4, anchor=50.0, low=20.0, high=400.0, knee=100.0)
    assert curve.rate(30.0) == curve.rate(100.0) == pytest.approx(2.0)
    assert curve.marginal(80.0) == pytest.approx(2.0)
    assert curve.marginal(200.0) == pytest.approx(0.6 * 2.0 * 2.0**-0.4)
    # Price 1.5: every dollar up to the knee pays; above it, (1−ε)·ρ·(s/k)^−ε = 1.5 → s < k.
    assert curve.spend_at(1.5) == pytest.approx(100.0)
    # Price 1.0: (s/100)^0.4 = 1.2 → s = 100 · 1.2^2.5.
    assert curve.spend_at(1.0) == pytest.approx(100.0 * 1.2**2.5)
    # Price 2.5: even unsaturated dollars lose → the lowest spend.
    assert curve.spend_at(2.5) == 20.0


def test_posterior_without_spend_above_the_knee_keeps_the_prior_elasticity() -> None:
    rows = [day(60.0 if i % 2 else 90.0, 3) for i in range(21)]
    evidence = gather(
        adset("a", rows, 90.0),
        START + timedelta(days=40),
        TIKTOK_MATURITY,
        window_days=21,
        half_life_days=1e9,
        min_visible=0.5,
    )
    prior = CurvePrior(math.log(0.03), 1.0, 0.0, 0.001, 0.2, 0.1, 1.0)
    curve = fit_curve(evidence, 90.0, prior, knee=100.0)
    assert curve.mean[2] == pytest.approx(0.2, abs=1e-6)
    assert math.sqrt(curve.cov[2][2]) == pytest.approx(0.1, rel=1e-6)


def test_campaign_cap_lets_increases_use_only_the_freed_headroom() -> None:
    snaps = [adset("a", [], 100), adset("b", [], 100), adset("c", [], 100)]
    decisions = [
        BudgetDecision("a", "decrease_budget", Decimal(100), Decimal(70), "k"),
        BudgetDecision("b", "increase_budget", Decimal(100), Decimal(120), "k"),
        BudgetDecision("c", "increase_budget", Decimal(100), Decimal(150), "k"),
    ]
    fitted = fit_to_campaign_budget(decisions, snaps, Decimal(300))
    assert [(d.adset_id, d.new_budget) for d in fitted] == [
        ("a", Decimal(70)),
        ("b", Decimal(120)),
        ("c", Decimal(110)),
    ]
    assert fitted[2].notes == ("campaign_budget",)


def test_a_campaign_wide_collapse_of_reports_is_an_anomaly() -> None:
    rows = [day(100, 10)] * 12 + [day(100, 1)] * 2 + [day(100, 10)] * 2
    snaps = [adset(k, rows) for k in "abc"]
    found = find_anomalies(snaps, START + timedelta(days=30), TIKTOK_MATURITY)
    assert [(a.day - START).days for a in found] == [12, 13]
    assert all(a.ratio < 0.4 for a in found)


def test_tracking_share_compares_reports_with_store_revenue() -> None:
    snaps = [adset("a", [day(100, 2)] * 10)]
    store = {START + timedelta(days=i): Decimal(250) for i in range(10)}
    share = reported_share(
        snaps,
        store,
        as_of=START + timedelta(days=20),
        maturity=TIKTOK_MATURITY,
        window_days=21,
        min_visible=0.5,
        skip=frozenset(),
        order_value=80.0,
        default=1.0,
    )
    assert share == pytest.approx(160 / 250)


def test_roasloop_scales_a_clear_winner_and_cuts_a_clear_loser() -> None:
    winner = adset("win", [day(100, 6)] * 12, budget=100)  # ROAS 4.8
    loser = adset("lose", [day(100, 1)] * 12, budget=100)  # ROAS 0.8
    spare = Decimal(300)  # headroom: the campaign budget is 500
    decisions = marginal_roas.decide(
        [winner, loser], Targets(Decimal(2)), ctx(12, campaign_budget=Decimal(200) + spare)
    )
    by_id = {d.adset_id: d for d in decisions}
    assert by_id["win"].action == "increase_budget"
    assert by_id["win"].new_budget == Decimal(150)
    assert by_id["lose"].action in {"pause", "decrease_budget"}
    for decision in decisions:
        texts = both(decision.reason_key, **decision.reason_params)
        assert texts["en"] != decision.reason_key and texts["zh-CN"]
        assert decision.values["break_even_roas"] == 2.0


def test_roasloop_holds_everything_during_a_tracking_outage() -> None:
    rows = [day(100, 4)] * 12 + [day(100, 0)] * 3
    snaps = [adset(k, rows) for k in "abcd"]
    assessment = marginal_roas.assess(snaps, Targets(Decimal(2)), ctx(16))
    assert assessment.decisions == []
    assert assessment.findings[0][0] == "finding_tracking_anomaly"


def test_roasloop_does_not_pause_a_healthy_small_ad_set_after_three_quiet_days() -> None:
    # $25/day at a break-even CPA of $40: three days without a sale happen 15 % of the time.
    rows = [day(25, 1), day(25, 0), day(25, 1), day(25, 0), day(25, 0), day(25, 0)]
    decisions = marginal_roas.decide(
        [adset("small", rows, budget=25)], Targets(Decimal(2), Decimal(40)), ctx(6)
    )
    assert all(d.action != "pause" for d in decisions)


@pytest.mark.parametrize(
    ("stance", "first_day"), [("decisive", 3), ("balanced", 6), ("patient", 7)]
)
def test_the_pause_stance_sets_how_soon_a_silent_ad_set_is_paused(
    stance: str, first_day: int
) -> None:
    """No conversions and a third of its siblings' clicks: each stance pauses it on its day."""

    def paused(days: int) -> bool:
        silent = [metrics_day(100, 0, clicks=70)] * days
        snaps = [adset(k, [day(100, 3)] * days) for k in "abcd"] + [adset("e", silent)]
        context = ctx(days, maturity=TIKTOK_MATURITY, pause_stance=stance)
        decisions = marginal_roas.decide(snaps, Targets(Decimal(2)), context)
        return any(d.adset_id == "e" and d.action == "pause" for d in decisions)

    assert not paused(first_day - 1) and paused(first_day)
