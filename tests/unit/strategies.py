"""Hypothesis strategies and snapshot builders shared by the decision tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from roasloop.decisions.snapshot import AdSetSnapshot, DailyPoint
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals


def day_metrics(min_spend_cents: int = 100) -> st.SearchStrategy[MetricTotals]:
    """One ad set's day: spend, 0–8 conversions at a random order value, clicks ≥ 20."""
    return st.builds(
        lambda spend_cents, conversions, aov_cents: MetricTotals(
            impressions=1000,
            clicks=max(conversions, 20),
            conversions=conversions,
            spend=Decimal(spend_cents) / 100,
            revenue=Decimal(aov_cents * conversions) / 100,
        ),
        spend_cents=st.integers(min_spend_cents, 50_000),
        conversions=st.integers(0, 8),
        aov_cents=st.integers(500, 20_000),
    )


#: A daily budget between $20 and $1,000.
money = st.integers(2_000, 100_000).map(lambda c: Decimal(c) / 100)
#: A ROAS or CPA target between 0.50 and 5.00.
target = st.integers(50, 500).map(lambda c: Decimal(c) / 100)


def metrics_day(
    spend: float, conversions: int, *, clicks: int = 200, aov: float = 80.0
) -> MetricTotals:
    """One day of an ad set: 2 % CTR, revenue = conversions × ``aov``."""
    return MetricTotals(
        impressions=clicks * 50,
        clicks=clicks,
        conversions=conversions,
        spend=Decimal(repr(spend)),
        revenue=Decimal(repr(aov * conversions)),
    )


def active_adset(
    key: str, rows: list[MetricTotals], start: date, budget: float = 100.0
) -> AdSetSnapshot:
    """An active ad set whose history is ``rows`` from ``start`` on."""
    history = tuple(DailyPoint(start + timedelta(days=i), m) for i, m in enumerate(rows))
    return AdSetSnapshot(key, key, EntityStatus.ACTIVE, Decimal(repr(budget)), history)
