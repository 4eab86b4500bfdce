"""Metrics and date segments of the Google Ads sandbox's search rows.

Numbers come from the market as reported at the end of yesterday (attribution delay and
tracking loss included). ``costMicros`` is an int64 string in micros; ``conversions`` and
``conversionsValue`` are doubles; rows segmented by date with no impressions and no cost are
left out, as Google does. Without a ``segments.date`` filter, metrics cover the lifetime.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from roasloop.sandbox.google.gaql import Condition, Query
from roasloop.sandbox.google.protocol import MICROS_PER_UNIT, kind, query_error
from roasloop.sandbox.market import AdDayMetrics
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]


def wanted(query: Query) -> bool:
    """Whether the query touches metrics or segments anywhere."""
    fields = [*query.select, *(c.field for c in query.where), *(f for f, _ in query.order_by)]
    return any(f.startswith(("metrics.", "segments.")) for f in fields)


def expand(
    world: SandboxWorld, query: Query, base: Doc, ad_ids: list[str], days: list[date]
) -> list[Doc]:
    """``base`` with its metrics: one row over ``days``, or one per day with delivery when
    segments.date is selected. ``ad_ids`` are the ads whose numbers the row sums."""
    keys = set(world.market.ad_keys())
    ads = [ad for ad in ad_ids if ad in keys]
    as_of = world.today() - timedelta(days=1)
    if "segments.date" not in query.select:
        totals = AdDayMetrics.total(
            world.market.reported(ad, day, as_of) for ad in ads for day in days
        )
        return [{**base, "metrics": _metrics(totals), "segments": {}}]
    rows = []
    for day in days:
        totals = AdDayMetrics.total(world.market.reported(ad, day, as_of) for ad in ads)
        if totals.impressions or totals.spend:
            rows.append(
                {**base, "metrics": _metrics(totals), "segments": {"date": day.isoformat()}}
            )
    return rows


def days(world: SandboxWorld, query: Query) -> list[date]:
    """The days metrics cover: the WHERE range on segments.date (else lifetime) up to yesterday."""
    yesterday = world.today() - timedelta(days=1)
    start, end = date(2000, 1, 1), yesterday
    for condition in query.where:
        if condition.field == "segments.date":
            low, high = date_range(world, condition)
            start, end = max(start, low), min(end, high)
    if start == date(2000, 1, 1):
        created = [date.fromisoformat(d["_createDay"]) for d in world.all(kind("adGroupAds"))]
        start = min(created, default=yesterday)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def date_range(world: SandboxWorld, condition: Condition) -> tuple[date, date]:
    today = world.today()
    if condition.operator == "DURING":
        return _during(str(condition.values[0]), today)
    values = [_date(v) for v in condition.values]
    low, high = date(2000, 1, 1), date(2999, 12, 31)
    operator = condition.operator
    if operator == "BETWEEN":
        return values[0], values[1]
    if operator in ("=", "IN"):
        return min(values), max(values)
    if operator in (">", ">="):
        return values[0] + timedelta(days=operator == ">"), high
    if operator in ("<", "<="):
        return low, values[0] - timedelta(days=operator == "<")
    raise query_error(
        "OPERATOR_FIELD_MISMATCH", f"Unsupported operator {operator} for segments.date."
    )


def _during(function: str, today: date) -> tuple[date, date]:
    yesterday = today - timedelta(days=1)
    if function == "TODAY":
        return today, today
    if function == "YESTERDAY":
        return yesterday, yesterday
    if function.startswith("LAST_") and function.endswith("_DAYS"):
        return today - timedelta(days=int(function.split("_")[1])), yesterday
    first = today.replace(day=1)
    if function == "THIS_MONTH":
        return first, today
    last_month_end = first - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


def _date(value: str | float) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise query_error("INVALID_DATE_FORMAT", f"Error in query: invalid date {value}.") from exc


def _metrics(t: AdDayMetrics) -> Doc:
    cost = int(t.spend * MICROS_PER_UNIT)
    metrics: Doc = {
        "impressions": str(t.impressions),
        "clicks": str(t.clicks),
        "costMicros": str(cost),
        "conversions": float(t.conversions),
        "conversionsValue": float(t.revenue),
        "ctr": t.clicks / t.impressions if t.impressions else 0.0,
        "averageCpc": cost / t.clicks if t.clicks else 0.0,
        "averageCpm": cost * 1000 / t.impressions if t.impressions else 0.0,
        "costPerConversion": cost / t.conversions if t.conversions else 0.0,
    }
    return metrics
