"""Learning phase: exit, learning limited, and the significant edits that reset it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from roasloop.sandbox.market import Audience, Market
from roasloop.sandbox.market.scenario import Scenario

START = date(2025, 3, 3)
ALL_US = Audience(("US",))


def scenario(platform: str = "tiktok", cvr: float = 0.03, **extra: Any) -> Scenario:
    base = {"cpm": 8.0, "ctr": 0.01, "cvr": cvr, "aov": 80.0}
    return Scenario.from_dict({"platform": platform, "base": base, **extra})


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def market_with_group(budget: str, cvr: float = 0.03, platform: str = "tiktok") -> Market:
    market = Market(scenario(platform, cvr), 9)
    market.add_adgroup("g", ALL_US, Decimal(budget), START)
    market.add_ad("g-a", "g", "a", START)
    market.add_ad("g-b", "g", "b", START)
    return market


def test_exits_learning_after_enough_conversions() -> None:
    market = market_with_group("300", cvr=0.15)
    market.simulate_day(day(9))
    states = [market.learning_state("g", day(i)) for i in range(10)]
    assert states[0] == "learning"
    exit_day = states.index("active")
    assert exit_day <= 7
    assert "limited" not in states
    true = sum(
        market.true_outcome(ad, day(i)).conversions
        for ad in ("g-a", "g-b")
        for i in range(exit_day)
    )
    assert true >= 50  # the platform counts captured events, which never exceed true ones
    assert market.true_parameters("g-a", day(exit_day)).learning_multiplier == 1.0
    assert market.true_parameters("g-a", day(0)).learning_multiplier < 1.0


def test_low_volume_goes_learning_limited_after_the_window() -> None:
    market = market_with_group("30")
    market.simulate_day(day(13))
    assert [market.learning_state("g", day(i)) for i in (0, 6, 7, 13)] == [
        "learning",
        "learning",
        "limited",
        "limited",
    ]
    limited = market.true_parameters("g-a", day(10)).learning_multiplier
    assert 0.8 <= limited < 1.0
    assert market.learning_state("g", day(40)) == "limited"  # projection into the future


def test_learning_penalty_fades_with_events() -> None:
    market = market_with_group("300", cvr=0.06)
    market.simulate_day(day(3))
    multipliers = [market.true_parameters("g-a", day(i)).learning_multiplier for i in range(4)]
    assert multipliers == sorted(multipliers) and multipliers[0] < multipliers[-1]


@pytest.mark.parametrize(
    ("platform", "factor", "resets"),
    [
        ("tiktok", "1.6", 1),
        ("tiktok", "0.45", 1),
        ("tiktok", "1.4", 0),
        ("meta", "1.25", 1),
        ("meta", "1.15", 0),
    ],
)
def test_budget_change_above_the_platform_threshold_resets(
    platform: str, factor: str, resets: int
) -> None:
    market = market_with_group("100", platform=platform)
    market.simulate_day(day(9))
    before = market.learning_state("g", day(10))
    market.set_daily_budget("g", Decimal("100") * Decimal(factor), day(10))
    market.simulate_day(day(10))
    assert market.learning_resets("g") == resets
    assert market.learning_resets() == resets
    expected = "learning" if resets else before
    assert market.learning_state("g", day(10)) == expected


def test_other_significant_edits_reset_and_are_counted() -> None:
    market = market_with_group("100")
    market.simulate_day(day(9))
    market.set_audience("g", Audience(("US", "GB")), day(10))
    assert market.learning_resets("g") == 1
    market.set_audience("g", Audience(("US", "GB")), day(10))  # same audience: no edit
    market.simulate_day(day(12))
    market.add_ad("g-c", "g", "c", day(13))
    assert market.learning_resets("g") == 2
    assert market.learning_state("g", day(13)) == "learning"


def test_launch_day_setup_is_not_a_reset() -> None:
    market = market_with_group("100")
    market.set_daily_budget("g", Decimal("300"), START)
    market.add_ad("g-c", "g", "c", START)
    market.simulate_day(day(3))
    assert market.learning_resets() == 0


def test_reactivation_resets_only_after_a_long_pause() -> None:
    market = market_with_group("100")
    market.simulate_day(day(9))
    market.set_active("g", False, day(10))
    market.simulate_day(day(12))
    market.set_active("g", True, day(13))
    assert market.learning_resets("g") == 0
    market.simulate_day(day(15))
    market.set_active("g", False, day(16))
    market.simulate_day(day(25))
    market.set_active("g", True, day(26))
    assert market.learning_resets("g") == 1
    market.simulate_day(day(26))
    assert market.learning_state("g", day(26)) == "learning"
    assert market.adgroup_spend("g", day(20)) == 0 and market.adgroup_spend("g", day(26)) > 0
