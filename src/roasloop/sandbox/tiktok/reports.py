"""``report/integrated/get`` of the TikTok sandbox (BASIC, AUCTION_CAMPAIGN/ADGROUP/AD).

Numbers come from the market as the platform would report them at the end of yesterday
(attribution delay and tracking loss included). Metric values are strings; rates are
percentages with two decimals, as TikTok returns them.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from roasloop.sandbox.market import AdDayMetrics
from roasloop.sandbox.tiktok.protocol import ReportQuery, TikTokError, parse, require
from roasloop.sandbox.world import SandboxWorld

if TYPE_CHECKING:
    from roasloop.sandbox.tiktok.api import Call

Doc = dict[str, Any]
#: With ``stat_time_day`` a request may span at most 30 days.
MAX_DAILY_SPAN_DAYS = 30
LEVEL_KINDS = {"AUCTION_CAMPAIGN": "campaign", "AUCTION_ADGROUP": "adgroup", "AUCTION_AD": "ad"}
ID_FILTERS = {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id", "ad_ids": "ad_id"}
TWO = Decimal("0.01")
ATTRIBUTE_METRICS = frozenset(
    {"campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name", "ad_text"}
)
NUMERIC_METRICS = frozenset(
    {
        "spend",
        "impressions",
        "clicks",
        "ctr",
        "cpc",
        "cpm",
        "reach",
        "conversion",
        "cost_per_conversion",
        "conversion_rate",
        "complete_payment",
        "complete_payment_roas",
        "total_complete_payment_rate",
        "total_purchase_value",
        "value_per_complete_payment",
    }
)


def integrated_get(world: SandboxWorld, call: Call) -> Doc:
    query = parse(ReportQuery, call.params)
    kind = LEVEL_KINDS[query.data_level]
    _check_dimensions(query, kind)
    _check_metrics(query.metrics)
    days = _days(world, query)
    objects = _objects(world, query, kind)
    rows = _rows(world, query, kind, objects, days)
    start = (query.page - 1) * query.page_size
    return {
        "list": rows[start : start + query.page_size],
        "page_info": {
            "page": query.page,
            "page_size": query.page_size,
            "total_number": len(rows),
            "total_page": max(1, -(-len(rows) // query.page_size)),
        },
    }


def _check_dimensions(query: ReportQuery, kind: str) -> None:
    allowed = {f"{kind}_id", "stat_time_day"}
    for index, dimension in enumerate(query.dimensions):
        require(dimension in allowed, f"dimensions.{index}", f"unsupported dimension {dimension}")
    require(f"{kind}_id" in query.dimensions, "dimensions", f"must include {kind}_id")


def _check_metrics(metrics: list[str]) -> None:
    for index, metric in enumerate(metrics):
        known = metric in NUMERIC_METRICS or metric in ATTRIBUTE_METRICS
        require(known, f"metrics.{index}", f"unsupported metric {metric}")


def _days(world: SandboxWorld, query: ReportQuery) -> list[date]:
    if query.query_lifetime:
        first = min(
            (date.fromisoformat(d["create_day"]) for d in world.all("adgroup")), default=None
        )
        return _span(first, world.today() - timedelta(days=1)) if first else []
    require(query.start_date is not None, "start_date", "field required")
    require(query.end_date is not None, "end_date", "field required")
    try:
        start, end = (
            date.fromisoformat(str(query.start_date)),
            date.fromisoformat(str(query.end_date)),
        )
    except ValueError as exc:
        raise TikTokError(40002, "start_date: dates must be YYYY-MM-DD") from exc
    require(start <= end, "end_date", "must not be before start_date")
    if "stat_time_day" in query.dimensions:
        span = (end - start).days + 1
        require(span <= MAX_DAILY_SPAN_DAYS, "end_date", "at most 30 days with stat_time_day")
    return _span(start, min(end, world.today() - timedelta(days=1)))


def _span(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _objects(world: SandboxWorld, query: ReportQuery, kind: str) -> list[Doc]:
    docs = [d for d in world.all(kind) if d["advertiser_id"] == query.advertiser_id]
    for index, rule in enumerate(query.filtering):
        field = str(rule.get("field_name", ""))
        require(field in ID_FILTERS, f"filtering.{index}.field_name", "unsupported filter")
        require(rule.get("filter_type") == "IN", f"filtering.{index}.filter_type", "only IN")
        wanted = _filter_values(rule.get("filter_value"), index)
        doc_field = ID_FILTERS[field]
        docs = [d for d in docs if str(d.get(doc_field)) in wanted]
    return docs


def _filter_values(raw: object, index: int) -> set[str]:
    try:
        values = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise TikTokError(40002, f"filtering.{index}.filter_value: JSON array") from exc
    require(isinstance(values, list), f"filtering.{index}.filter_value", "must be an array")
    assert isinstance(values, list)
    require(len(values) <= 100, f"filtering.{index}.filter_value", "at most 100 ids")
    return {str(v) for v in values}


def _rows(
    world: SandboxWorld, query: ReportQuery, kind: str, objects: list[Doc], days: list[date]
) -> list[Doc]:
    as_of = world.today() - timedelta(days=1)
    daily = "stat_time_day" in query.dimensions
    rows: list[Doc] = []
    for obj in objects:
        ads = _ads_of(world, kind, obj)
        groups = [[day] for day in days] if daily else [days]
        for group in groups:
            totals = AdDayMetrics.total(
                world.market.reported(ad["ad_id"], d, as_of) for ad in ads for d in group
            )
            if totals.impressions == 0 and totals.spend == 0:
                continue
            dimensions = {f"{kind}_id": obj[f"{kind}_id"]}
            if daily:
                dimensions["stat_time_day"] = f"{group[0].isoformat()} 00:00:00"
            rows.append({"dimensions": dimensions, "metrics": _metrics(query.metrics, obj, totals)})
    return rows


def _ads_of(world: SandboxWorld, kind: str, obj: Doc) -> list[Doc]:
    if kind == "ad":
        return [obj]
    return [ad for ad in world.all("ad") if ad[f"{kind}_id"] == obj[f"{kind}_id"]]


def _metrics(names: list[str], obj: Doc, t: AdDayMetrics) -> Doc:
    values = {
        "spend": _money(t.spend),
        "impressions": str(t.impressions),
        "clicks": str(t.clicks),
        "reach": str(int(t.impressions * 0.8)),
        "conversion": str(t.conversions),
        "complete_payment": str(t.conversions),
        "ctr": _pct(t.clicks, t.impressions),
        "conversion_rate": _pct(t.conversions, t.clicks),
        "total_complete_payment_rate": _pct(t.conversions, t.clicks),
        "cpc": _div(t.spend, t.clicks),
        "cpm": _div(t.spend * 1000, t.impressions),
        "cost_per_conversion": _div(t.spend, t.conversions),
        "complete_payment_roas": _div(t.revenue, t.spend),
        "total_purchase_value": _money(t.revenue),
        "value_per_complete_payment": _div(t.revenue, t.conversions),
    }
    return {name: values[name] if name in values else str(obj.get(name, "")) for name in names}


def _money(value: Decimal) -> str:
    return str(value.quantize(TWO, rounding=ROUND_HALF_UP))


def _div(numerator: Decimal, denominator: Decimal | int) -> str:
    if not denominator:
        return "0.00"
    return _money(Decimal(numerator) / Decimal(denominator))


def _pct(numerator: int, denominator: int) -> str:
    return _div(Decimal(numerator) * 100, denominator)
