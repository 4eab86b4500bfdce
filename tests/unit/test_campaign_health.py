"""The roasloop policy's campaign-level finding: the campaign as a whole below break-even."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from roasloop.decisions.policies import marginal_roas
from roasloop.decisions.policies.campaign_health import FINDING
from roasloop.decisions.policies.context import PolicyContext
from roasloop.decisions.snapshot import AdSetSnapshot, Targets
from roasloop.i18n import both
from tests.unit.strategies import active_adset, metrics_day

START = date(2026, 3, 2)
#: Break-even ROAS 2.0; each order is worth $80.
TARGETS = Targets(Decimal(2), Decimal(40))


def campaign(days: int, orders: tuple[int, ...]) -> list[AdSetSnapshot]:
    """Four ad sets alike, $100/day each, selling ``orders`` (cycled) orders of $80 a day."""
    rows = [metrics_day(100, orders[i % len(orders)]) for i in range(days)]
    return [active_adset(k, rows, START, 100) for k in "abcd"]


def findings(snapshots: list[AdSetSnapshot], days: int) -> dict[str, dict[str, Any]]:
    context = PolicyContext(
        as_of=START + timedelta(days=days - 1),
        campaign_budget=Decimal(400),
        min_budget=Decimal(20),
        step_cap=Decimal("0.5"),
        maturity=(1.0,),  # the rows report every order at once
    )
    return dict(marginal_roas.assess(snapshots, TARGETS, context).findings)


def test_a_campaign_of_alike_losers_is_reported_below_break_even() -> None:
    # ROAS 1.2 against 2.0 everywhere: no ad set stands out, the campaign as a whole loses.
    found = findings(campaign(14, (1, 2)), 14)
    values = found[FINDING]
    assert values["high"] < 2.0 == values["target"]
    assert 1.0 < values["roas"] < 1.6
    assert values["chance"] < 10.0
    for text in both(FINDING, **values).values():
        assert not re.search(r"\{\w+\}", text)
        assert str(values["roas"]) in text


def test_no_campaign_verdict_in_its_first_week() -> None:
    # ROAS 0.8 is clear after six days, but the first week is the learning phase.
    assert FINDING not in findings(campaign(6, (1,)), 6)
    assert FINDING in findings(campaign(7, (1,)), 7)


def test_a_campaign_at_break_even_is_not_reported() -> None:
    # 2.5 orders of $80 per $100: ROAS 2.0, exactly break-even.
    assert FINDING not in findings(campaign(14, (2, 3)), 14)


def test_paused_ad_sets_do_not_count_against_the_campaign() -> None:
    """Losers already paused no longer spend: the verdict is on the active ad sets."""
    winner = active_adset("win", [metrics_day(100, 4)] * 14, START, 100)  # ROAS 3.2
    losers = [
        AdSetSnapshot(s.adset_id, s.name, s.status.PAUSED, s.daily_budget, s.history)
        for s in campaign(14, (1,))
    ]
    assert FINDING not in findings([winner, *losers], 14)
    assert FINDING in findings([winner, *campaign(14, (1,))], 14)
