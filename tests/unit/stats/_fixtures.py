"""Row builders shared by the stats tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from roasloop.stats.analysis import VariantDaily

DAY0 = date(2025, 1, 6)


def row(
    variant: str,
    clicks: int,
    conversions: int,
    *,
    day: int = 0,
    stratum: str = "adset-1",
    impressions: int | None = None,
    spend: str | float = "0",
    revenue: str | float = "0",
) -> VariantDaily:
    """One daily row; impressions default to 50 × clicks."""
    return VariantDaily(
        variant,
        DAY0 + timedelta(days=day),
        stratum,
        impressions if impressions is not None else clicks * 50,
        clicks,
        conversions,
        Decimal(str(spend)),
        Decimal(str(revenue)),
    )


def single_day(
    ids: Sequence[str], clicks: Iterable[int], conversions: Iterable[int]
) -> list[VariantDaily]:
    """One row per variant on the same day (a single stratum)."""
    return [row(v, c, x) for v, c, x in zip(ids, clicks, conversions, strict=True)]
