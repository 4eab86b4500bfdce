"""How much of the store's revenue the platform reports: the tracking calibration.

Platform tracking misses conversions (pixel-only capture 50–80 %, iOS opt-outs; market_benchmarks
§5) or double-counts them (de-duplication bugs). When the merchant's store revenue for the
campaign's traffic is available, the share is measured over the matured days of the window as
Σ reported revenue / Σ (visible share × store revenue), pooled over the campaign's ad sets;
otherwise the configured share is used. Anomalous days are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from roasloop.decisions.snapshot import AdSetSnapshot
from roasloop.domain.attribution import visible_share

#: Store revenue needed (in orders' worth) before the measured share replaces the configured one.
MIN_ORDERS = 5.0
#: The measured share is kept within these bounds (a broken feed must not explode the estimates).
BOUNDS = (0.2, 3.0)


def reported_share(
    snapshots: Sequence[AdSetSnapshot],
    store_revenue: Mapping[date, Decimal],
    *,
    as_of: date,
    maturity: tuple[float, ...],
    window_days: int,
    min_visible: float,
    skip: frozenset[date],
    order_value: float,
    default: float,
) -> float:
    """The measured share of store revenue the platform reports, or ``default``."""
    if not store_revenue:
        return default
    days = {p.day for s in snapshots for p in s.history[-window_days:]} - skip
    reported = sum(
        float(p.metrics.revenue)
        for s in snapshots
        for p in s.history[-window_days:]
        if p.day in days and visible_share(maturity, (as_of - p.day).days) >= min_visible
    )
    expected = sum(
        visible_share(maturity, (as_of - day).days) * float(store_revenue.get(day, 0))
        for day in days
        if visible_share(maturity, (as_of - day).days) >= min_visible
    )
    if expected < MIN_ORDERS * order_value:
        return default
    return min(max(reported / expected, BOUNDS[0]), BOUNDS[1])
