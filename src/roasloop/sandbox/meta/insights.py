"""``GET /{act_id|campaign_id|adset_id|ad_id}/insights`` of the Meta sandbox.

Numbers come from the market as Meta would report them at the end of yesterday (attribution
delay and tracking loss included). Every value is a string; ``spend`` is in major units (unlike
budgets); rates carry six decimals; purchases appear under ``actions`` / ``action_values`` as
``purchase``, ``omni_purchase`` and ``offsite_conversion.fb_pixel_purchase`` (one event, three
names). Rows without delivery are left out. Deleted and archived objects are left out unless a
``<level>.effective_status`` filter asks for them
(https://developers.facebook.com/docs/marketing-api/insights/best-practices).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from roasloop.sandbox.market import AdDayMetrics
from roasloop.sandbox.meta.docs import (
    ACCOUNT,
    AD,
    ADSET,
    CAMPAIGN,
    Call,
    effective_status,
    of_account,
)
from roasloop.sandbox.meta.edges import HIDDEN_BY_DEFAULT, decode_cursor, paging, rule
from roasloop.sandbox.meta.models import InsightsQuery
from roasloop.sandbox.meta.protocol import invalid, parse, require
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
LEVEL_KINDS = {"account": ACCOUNT, "campaign": CAMPAIGN, "adset": ADSET, "ad": AD}
RANK = {ACCOUNT: 0, CAMPAIGN: 1, ADSET: 2, AD: 3}
PURCHASE_TYPES = ("purchase", "omni_purchase", "offsite_conversion.fb_pixel_purchase")
DEFAULT_FIELDS = ("impressions", "spend")
#: Graph's default window when neither ``time_range`` nor ``date_preset`` is given.
DEFAULT_PRESET = "last_30d"
ATTRIBUTES = {
    "account_id": (ACCOUNT, "account_id"),
    "account_name": (ACCOUNT, "name"),
    "campaign_id": (CAMPAIGN, "id"),
    "campaign_name": (CAMPAIGN, "name"),
    "objective": (CAMPAIGN, "objective"),
    "adset_id": (ADSET, "id"),
    "adset_name": (ADSET, "name"),
    "ad_id": (AD, "id"),
    "ad_name": (AD, "name"),
}
METRICS = frozenset(
    {
        "spend",
        "impressions",
        "clicks",
        "inline_link_clicks",
        "reach",
        "frequency",
        "ctr",
        "cpc",
        "cpm",
        "cpp",
        "actions",
        "action_values",
        "cost_per_action_type",
        "purchase_roas",
        "website_purchase_roas",
    }
)
SIX = Decimal("0.000001")
TWO = Decimal("0.01")


def insights(call: Call, kind: str, node: Doc) -> Doc:
    query = parse(InsightsQuery, call.params)
    level = LEVEL_KINDS[query.level] if query.level else kind
    require(RANK[level] >= RANK[kind], "level", f"level must be at or below the {kind[5:]}")
    require(not query.breakdowns, "breakdowns", "The sandbox does not break insights down")
    fields = query.fields or list(DEFAULT_FIELDS)
    for name in fields:
        known = name in METRICS or name in ATTRIBUTES or name in ("date_start", "date_stop")
        require(known, "fields", f"{name} is not a valid insights field")
    periods = _periods(_requested_days(call.world, query), query.time_increment)
    rows = _rows(call.world, _objects(call.world, query, kind, node, level), level, fields, periods)
    start = decode_cursor(query.after) + 1 if query.after else 0
    page = rows[start : start + query.limit]
    result: Doc = {"data": page}
    if page:
        result["paging"] = paging(
            start, start + len(page) - 1, len(rows), call.params, call.page_url
        )
    return result


# --- which days -----------------------------------------------------------------------------
def _requested_days(world: SandboxWorld, query: InsightsQuery) -> tuple[date, date]:
    if query.time_range is not None:
        try:
            since = date.fromisoformat(query.time_range.since)
            until = date.fromisoformat(query.time_range.until)
        except ValueError as exc:
            raise invalid("time_range", "time_range dates must be YYYY-MM-DD") from exc
        require(since <= until, "time_range", "since must not be after until")
        return since, until
    return _preset(world, query.date_preset or DEFAULT_PRESET)


def _preset(world: SandboxWorld, preset: str) -> tuple[date, date]:
    today = world.today()
    yesterday = today - timedelta(days=1)
    if preset == "today":
        return today, today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "maximum":
        first = min((date.fromisoformat(d["create_day"]) for d in world.all(ADSET)), default=today)
        return first, yesterday
    if preset == "yesterday":
        return yesterday, yesterday
    days = int(preset.removeprefix("last_").removesuffix("d"))
    return today - timedelta(days=days), yesterday


def _periods(span: tuple[date, date], increment: str) -> list[tuple[date, date]]:
    since, until = span
    if increment == "all_days":
        return [(since, until)]
    periods: list[tuple[date, date]] = []
    start = since
    while start <= until:
        if increment == "monthly":
            next_month = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
            end = min(until, next_month - timedelta(days=1))
        else:
            end = min(until, start + timedelta(days=int(increment) - 1))
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


# --- which objects ----------------------------------------------------------------------------
def _objects(
    world: SandboxWorld, query: InsightsQuery, kind: str, node: Doc, level: str
) -> list[Doc]:
    if level == ACCOUNT:
        return [node]
    if level == kind:
        docs = [node]
    elif kind == ACCOUNT:
        docs = list(of_account(world, level, node["account_id"]))
    else:
        parent_field = {CAMPAIGN: "campaign_id", ADSET: "adset_id"}[kind]
        docs = [d for d in world.all(level) if d.get(parent_field) == node["id"]]
    if not any(r.field.endswith("effective_status") for r in query.filtering):
        docs = [d for d in docs if effective_status(world, level, d) not in HIDDEN_BY_DEFAULT]
    for index, item in enumerate(query.filtering):
        check = rule(world, level, item.field, item.operator, item.value, index)
        docs = [d for d in docs if check(d)]
    return docs


def _ads_of(world: SandboxWorld, level: str, obj: Doc) -> list[Doc]:
    if level == AD:
        return [obj]
    if level == ACCOUNT:
        return list(of_account(world, AD, obj["account_id"]))
    parent_field = {CAMPAIGN: "campaign_id", ADSET: "adset_id"}[level]
    return [ad for ad in world.all(AD) if ad.get(parent_field) == obj["id"]]


# --- rows ---------------------------------------------------------------------------------------
def _rows(
    world: SandboxWorld,
    objects: list[Doc],
    level: str,
    fields: list[str],
    periods: list[tuple[date, date]],
) -> list[Doc]:
    as_of = world.today() - timedelta(days=1)
    rows: list[Doc] = []
    for obj in objects:
        ads = _ads_of(world, level, obj)
        for first, last in periods:
            days = [first + timedelta(days=i) for i in range((min(last, as_of) - first).days + 1)]
            total = AdDayMetrics.total(
                world.market.reported(ad["id"], d, as_of) for ad in ads for d in days
            )
            if total.impressions == 0 and total.spend == 0:
                continue
            row = _attributes(world, level, obj, fields)
            row |= {k: v for k, v in _metrics(total).items() if k in fields}
            rows.append(row | {"date_start": first.isoformat(), "date_stop": last.isoformat()})
    return rows


def _attributes(world: SandboxWorld, level: str, obj: Doc, fields: list[str]) -> Doc:
    owners = {level: obj}
    if level in (ADSET, AD):
        owners[CAMPAIGN] = world.get(CAMPAIGN, obj["campaign_id"]) or {}
    if level == AD:
        owners[ADSET] = world.get(ADSET, obj["adset_id"]) or {}
    owners[ACCOUNT] = world.get(ACCOUNT, obj["account_id"]) or {}
    out: Doc = {}
    for name in fields:
        if name in ATTRIBUTES:
            owner_kind, key = ATTRIBUTES[name]
            if owner_kind in owners:
                out[name] = str(owners[owner_kind].get(key, ""))
    return out


def _metrics(t: AdDayMetrics) -> Doc:
    reach = max(1, t.impressions * 4 // 5) if t.impressions else 0
    values: Doc = {
        "spend": _fixed(t.spend, TWO),
        "impressions": str(t.impressions),
        "clicks": str(t.clicks),
        "inline_link_clicks": str(t.clicks),
        "reach": str(reach),
        "frequency": _ratio(Decimal(t.impressions), reach),
        "ctr": _ratio(Decimal(t.clicks) * 100, t.impressions),
        "cpc": _ratio(t.spend, t.clicks),
        "cpm": _ratio(t.spend * 1000, t.impressions),
        "cpp": _ratio(t.spend * 1000, reach),
        "actions": [{"action_type": "link_click", "value": str(t.clicks)}],
    }
    if t.conversions:
        values["actions"] += _named(str(t.conversions))
        values["action_values"] = _named(_fixed(t.revenue, TWO))
        values["cost_per_action_type"] = _named(_ratio(t.spend, t.conversions))
    if t.revenue and t.spend:
        roas = _ratio(t.revenue, t.spend)
        values["purchase_roas"] = [{"action_type": "omni_purchase", "value": roas}]
        website = "offsite_conversion.fb_pixel_purchase"
        values["website_purchase_roas"] = [{"action_type": website, "value": roas}]
    return values


def _named(value: str) -> list[Doc]:
    return [{"action_type": name, "value": value} for name in PURCHASE_TYPES]


def _ratio(numerator: Decimal, denominator: int | Decimal) -> str:
    if not denominator:
        return "0"
    return _fixed(numerator / Decimal(denominator), SIX)


def _fixed(value: Decimal, places: Decimal) -> str:
    return str(value.quantize(places, rounding=ROUND_HALF_UP))
