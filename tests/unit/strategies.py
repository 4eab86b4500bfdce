"""Hypothesis strategies shared by the decision tests: a day of ad-set metrics and money."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

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
