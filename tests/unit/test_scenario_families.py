"""The eight §8 scenario families behave as their ``expected`` lines say (light checks)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from roasloop.sandbox.market import Audience, Market
from roasloop.sandbox.market.scenario import Scenario, builtin_scenario

START = date(2025, 3, 3)  # a Monday
ALL_US = Audience(("US",))


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def market(family: str | Scenario, seed: int, groups: dict[str, list[str]], budget: int) -> Market:
    scenario = builtin_scenario(family) if isinstance(family, str) else family
    result = Market(scenario, seed)
    for group, creatives in groups.items():
        result.add_adgroup(group, ALL_US, Decimal(budget), START)
        for creative in creatives:
            result.add_ad(f"{group}/{creative}", group, creative, START)
    return result


def roas(m: Market, ads: list[str], offsets: range) -> float:
    rows = [m.true_outcome(ad, day(i)) for ad in ads for i in offsets]
    return float(sum(r.revenue for r in rows) / sum(r.spend for r in rows))


def test_one_clear_winner_wins_and_gets_the_spend() -> None:
    creatives = ["winner", "b", "c", "d", "e"]
    winner_roas, other_roas, winner_share = [], [], []
    for seed in range(4):
        m = market("one_clear_winner", seed, {"g": creatives}, 150)
        m.simulate_day(day(20))
        ads = m.ad_keys("g")
        winner_roas.append(roas(m, ["g/winner"], range(21)))
        other_roas.append(roas(m, [a for a in ads if a != "g/winner"], range(21)))
        spend = [sum(m.true_outcome(a, day(i)).spend for i in range(7)) for a in ads]
        winner_share.append(float(spend[ads.index("g/winner")] / sum(spend)))
    assert sum(winner_roas) > 1.8 * sum(other_roas)
    assert min(winner_share) > 0.3 and sum(winner_share) / 4 > 0.4  # an even split is 0.2


def test_all_mediocre_loses_money_everywhere() -> None:
    for seed in range(3):
        m = market("all_mediocre", seed, {f"g{i}": ["a", "b", "c"] for i in range(3)}, 100)
        m.simulate_day(day(29))
        account = roas(m, m.ad_keys(), range(30))
        assert 0.7 < account < m.scenario.break_even_roas
        params = [m.true_parameters(ad, day(0)) for ad in m.ad_keys("g0")]
        quality = [p.ctr * p.cvr for p in params]
        assert max(quality) < 1.5 * min(quality)  # no ad is much better than another


def test_late_bloomer_starts_weak_and_blooms() -> None:
    m = market("late_bloomer", 1, {"g": ["bloomer"]}, 110)
    m.simulate_day(day(29))
    early = float(m.expected_outcome("g", Decimal(110), day(0))[1]) / 110
    late = float(m.expected_outcome("g", Decimal(110), day(20))[1]) / 110
    assert early < 1.3 and late > 2.2
    assert m.true_parameters("g/bloomer", day(0)).warmup_multiplier == pytest.approx(0.45)
    assert m.true_parameters("g/bloomer", day(20)).warmup_multiplier == 1.0
    realised = [roas(m, ["g/bloomer"], r) for r in (range(0, 5), range(10, 30))]
    assert realised[0] < 0.7 * realised[1]


def test_fatigue_heavy_halves_ctr_and_doubles_cost_within_days() -> None:
    m = market("fatigue_heavy", 4, {"g": ["best"]}, 80)
    m.simulate_day(day(9))
    start, later = (m.true_parameters("g/best", day(i)) for i in (0, 7))  # both Mondays
    assert later.fatigue_multiplier <= 0.5 < start.fatigue_multiplier
    cost_per_click = [float(p.cpm) / p.ctr for p in (start, later)]
    assert cost_per_click[1] > 2 * cost_per_click[0]


def test_noisy_low_volume_stays_learning_limited() -> None:
    per_day = []
    for seed in range(5):
        m = market("noisy_low_volume", seed, {"g": ["a", "b"]}, 25)
        m.simulate_day(day(13))
        assert m.learning_state("g", day(13)) == "limited"
        per_day.append(
            sum(m.true_outcome(a, day(i)).conversions for a in m.ad_keys() for i in range(14)) / 14
        )
    assert 0.2 < sum(per_day) / len(per_day) < 1.0


def test_saturating_winner_does_not_scale() -> None:
    m = market("saturating_winner", 0, {"g": ["winner"]}, 100)
    cpa = [Decimal(s) / m.expected_outcome("g", Decimal(s), day(0))[0] for s in (100, 200, 400)]
    assert Decimal("1.35") < cpa[1] / cpa[0] < Decimal("1.6")
    assert Decimal("1.9") < cpa[2] / cpa[0] < Decimal("2.4")


def test_weekly_seasonality_peaks_monday_and_dips_friday_saturday() -> None:
    m = market("weekly_seasonality", 0, {"g": ["a", "b"]}, 100)
    revenue = [m.expected_outcome("g", Decimal(100), day(i))[1] for i in range(7)]
    assert revenue[0] == max(revenue) and min(revenue) in revenue[4:6]
    assert revenue[0] / revenue[5] > Decimal("1.3")


def test_broken_tracking_drops_the_reported_share_during_the_outage() -> None:
    m = market("broken_tracking", 5, {"g": ["a", "b"]}, 300)
    m.simulate_day(day(29))
    capture = [m.true_parameters("g/a", day(i)).capture_rate for i in range(30)]
    outage = [i for i, c in enumerate(capture) if c < 0.25]
    assert 2 <= len(outage) <= 4 and 8 <= outage[0] <= 15
    assert 0.45 < capture[0] < 0.9

    def share(offsets: list[int]) -> float:
        true = sum(m.true_outcome(a, day(i)).conversions for a in m.ad_keys() for i in offsets)
        seen = sum(m.reported(a, day(i), day(60)).conversions for a in m.ad_keys() for i in offsets)
        return seen / true

    normal = [i for i in range(30) if i not in range(outage[0] - 7, outage[-1] + 1)]
    assert share(outage) < 0.6 * share(normal)
    assert 0.45 < share(normal) < 0.9


def test_broken_tracking_duplicate_bug_over_reports() -> None:
    scenario = builtin_scenario("broken_tracking").to_dict()
    scenario["attribution"]["outages"] = []
    scenario["attribution"]["capture_rate"] = 1.0
    scenario["attribution"]["duplicate_bugs"][0]["probability"] = 1.0
    m = market(Scenario.from_dict(scenario), 5, {"g": ["a", "b"]}, 300)
    m.simulate_day(day(29))
    ads = m.ad_keys()
    true = sum(m.true_outcome(a, day(i)).conversions for a in ads for i in range(30))
    seen = sum(m.reported(a, day(i), day(60)).conversions for a in ads for i in range(30))
    assert seen > true  # 3 days of 1.8x reporting with perfect capture otherwise
