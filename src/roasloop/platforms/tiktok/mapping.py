"""Pure TikTok Marketing API v1.3 ↔ domain mapping.

Wire facts: https://business-api.tiktok.com/portal/docs (campaign/adgroup/ad create, Doc IDs
1739318962329602, 1739499616346114, 1739953377508354; report/integrated/get, Doc ID
1740302848100353) as summarised in ``shared/reference/platform_apis.md`` §1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from roasloop.domain.enums import (
    BidStrategy,
    EntityStatus,
    LearningStatus,
    Objective,
    OptimizationGoal,
)
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import AgeRange
from roasloop.domain.money import quantize
from roasloop.errors import InvalidParameter
from roasloop.translations import N_

#: TikTok's Business API reports no learning phase. ``adgroup/get`` returns an ad group's
#: ``operation_status`` and a delivery ``secondary_status`` (delivering, in review, out of
#: budget …), ``skip_learning_phase`` is only a create setting, and no report metric names
#: the phase (https://business-api.tiktok.com/portal/docs?id=1739314558673922; the official
#: SDK ``tiktok-business-api-sdk-official`` 1.1.3 has no such field in any model). Ads
#: Manager shows "Learning" in its own UI only, so roasloop infers TikTok's learning phase
#: from the history (what ``PolicyContext`` does for an ad set without a reported status).
LEARNING_STATUS_FIELD: str | None = None

#: ``schedule_start_time`` and report ``stat_time_day`` format, UTC+0.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

#: TikTok age buckets (enum AgeType) with their inclusive bounds; 55_100 counted as 55–64.
AGE_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("AGE_13_17", 13, 17),
    ("AGE_18_24", 18, 24),
    ("AGE_25_34", 25, 34),
    ("AGE_35_44", 35, 44),
    ("AGE_45_54", 45, 54),
    ("AGE_55_100", 55, 64),
)

#: ISO-3166 alpha-2 → TikTok ``location_ids`` (GeoNames ids, as returned by /tool/region/).
LOCATION_IDS: Mapping[str, str] = {
    "US": "6252001",
    "GB": "2635167",
    "UK": "2635167",
    "CA": "6251999",
    "AU": "2077456",
    "DE": "2921044",
    "FR": "3017382",
    "IT": "3175395",
    "ES": "2510769",
    "NL": "2750405",
    "JP": "1861060",
    "KR": "1835841",
    "SG": "1880251",
    "MY": "1733045",
    "TH": "1605651",
    "VN": "1562822",
    "PH": "1694008",
    "ID": "1643084",
    "AE": "290557",
    "SA": "102358",
    "MX": "3996063",
    "BR": "3469034",
}

OBJECTIVE_TYPES: Mapping[Objective, str] = {
    Objective.SALES: "WEB_CONVERSIONS",
    Objective.TRAFFIC: "TRAFFIC",
    Objective.AWARENESS: "REACH",
}

OPTIMIZATION_GOALS: Mapping[OptimizationGoal, str] = {
    OptimizationGoal.CONVERSIONS: "CONVERT",
    OptimizationGoal.VALUE: "VALUE",
    OptimizationGoal.CLICKS: "CLICK",
    OptimizationGoal.REACH: "REACH",
    OptimizationGoal.VIDEO_VIEWS: "VIDEO_VIEW",
}

BILLING_EVENTS: Mapping[OptimizationGoal, str] = {
    OptimizationGoal.CONVERSIONS: "OCPM",
    OptimizationGoal.VALUE: "OCPM",
    OptimizationGoal.CLICKS: "CPC",
    OptimizationGoal.REACH: "CPM",
    OptimizationGoal.VIDEO_VIEWS: "CPV",
}

BID_TYPES: Mapping[BidStrategy, str] = {
    BidStrategy.LOWEST_COST: "BID_TYPE_NO_BID",
    BidStrategy.TARGET_COST: "BID_TYPE_CUSTOM",
    BidStrategy.BID_CAP: "BID_TYPE_CUSTOM",
    BidStrategy.TARGET_ROAS: "BID_TYPE_NO_BID",
    BidStrategy.MAX_CONVERSION_VALUE: "BID_TYPE_NO_BID",
}
#: Value optimization: TikTok bids for purchase value only with ``optimization_goal`` VALUE,
#: ``bid_type`` BID_TYPE_NO_BID and a deep bid type — the most value, or value at a minimum
#: ROAS (``roas_bid``, 0.01–1,000); it then takes no ``bid_price``/``conversion_bid_price``.
VALUE_BIDDING: Mapping[BidStrategy, str] = {
    BidStrategy.TARGET_ROAS: "VO_MIN_ROAS",
    BidStrategy.MAX_CONVERSION_VALUE: "VO_HIGHEST_VALUE",
}

#: Campaign budget modes that set a daily budget (``BUDGET_MODE_INFINITE``: none of its own).
DAILY_BUDGET_MODES = frozenset({"BUDGET_MODE_DAY", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"})
#: Billing events of optimized (oCPM/oCPC) ad groups: their custom bid is a target cost per
#: conversion, ``conversion_bid_price``; CPC/CPM/CPV ad groups bid ``bid_price`` per click,
#: thousand impressions or view (adgroup/create, Doc ID 1739499616346114).
OPTIMIZED_BILLING = frozenset({"OCPM", "OCPC"})

OPERATION_STATUS: Mapping[EntityStatus, str] = {
    EntityStatus.ACTIVE: "ENABLE",
    EntityStatus.PAUSED: "DISABLE",
    EntityStatus.DELETED: "DELETE",
}

#: Report metrics the adapter asks for (values come back as strings).
REPORT_METRICS: tuple[str, ...] = (
    "campaign_id",
    "adgroup_id",
    "spend",
    "impressions",
    "clicks",
    "conversion",
    "complete_payment",
    "total_purchase_value",
    "complete_payment_roas",
)


def age_groups(age_range: AgeRange) -> list[str]:
    """Buckets covering at least half their width inside ``age_range`` (never empty).

    (18, 35) → 18–24, 25–34; (36, 50) → 35–44, 45–54; (51, 65) → 55+: the seed's default
    groups map to disjoint bucket sets, so ad sets do not compete for the same people.
    """
    chosen: list[str] = []
    best: tuple[int, str] = (-1, AGE_BUCKETS[1][0])
    for name, low, high in AGE_BUCKETS:
        overlap = min(high, age_range.max_age) - max(low, age_range.min_age) + 1
        if overlap * 2 >= high - low + 1:
            chosen.append(name)
        best = max(best, (overlap, name))
    return chosen or [best[1]]


def location_ids(countries: Sequence[str]) -> list[str]:
    """TikTok location ids for ISO country codes; unknown codes name the field."""
    ids: list[str] = []
    for index, country in enumerate(countries):
        location = LOCATION_IDS.get(country.upper())
        if location is None:
            raise InvalidParameter(
                f"target_countries[{index}]",
                N_("unsupported country code {country}"),
                detail_params={"country": repr(country)},
            )
        if location not in ids:
            ids.append(location)
    return ids


def status_from_wire(operation_status: str, secondary_status: str = "") -> EntityStatus:
    """Domain status from ``operation_status`` / ``secondary_status``."""
    if operation_status == "DELETE" or secondary_status.endswith("_DELETE"):
        return EntityStatus.DELETED
    if operation_status == "ENABLE":
        return EntityStatus.ACTIVE
    return EntityStatus.PAUSED


def format_time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def parse_day(stat_time_day: str) -> date:
    return datetime.strptime(stat_time_day, TIME_FORMAT).date()


def wire_decimal(value: object) -> Decimal:
    """A report value ("12.34", "-", "", None) as ``Decimal``; non-numbers are zero."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def wire_int(value: object) -> int:
    return int(wire_decimal(value))


def metrics_from_wire(metrics: Mapping[str, object]) -> MetricTotals:
    """Report metrics → totals; revenue from ``total_purchase_value`` or ROAS × spend."""
    spend = quantize(wire_decimal(metrics.get("spend")))
    revenue_raw = metrics.get("total_purchase_value")
    if revenue_raw in (None, "", "-"):
        revenue = quantize(wire_decimal(metrics.get("complete_payment_roas")) * spend)
    else:
        revenue = quantize(wire_decimal(revenue_raw))
    conversions = metrics.get("complete_payment", metrics.get("conversion"))
    return MetricTotals(
        impressions=wire_int(metrics.get("impressions")),
        clicks=wire_int(metrics.get("clicks")),
        conversions=wire_int(conversions),
        spend=spend,
        revenue=revenue,
    )


def budget_to_wire(amount: Decimal) -> float:
    """TikTok budgets are JSON numbers in major units; cents survive the conversion."""
    return float(quantize(amount))


def campaign_budget(daily_budget: Decimal | None) -> dict[str, object]:
    """A campaign's budget fields: a daily campaign budget, or none (ad group budgets)."""
    if daily_budget is None:
        return {"budget_mode": "BUDGET_MODE_INFINITE"}
    return {"budget_mode": "BUDGET_MODE_DAY", "budget": budget_to_wire(daily_budget)}


def adgroup_bidding(
    goal: OptimizationGoal, strategy: BidStrategy, bid_amount: Decimal | None
) -> dict[str, object]:
    """An ad group's optimization goal, billing event and bid fields for ``adgroup/create``.

    A ROAS target or "most value" bids on purchase value, so on TikTok it optimizes for
    VALUE whatever goal was asked for; ``bid_amount`` is then the ROAS (a ratio)."""
    deep = VALUE_BIDDING.get(strategy)
    wire_goal = "VALUE" if deep else OPTIMIZATION_GOALS[goal]
    billing = BILLING_EVENTS[OptimizationGoal.VALUE if deep else goal]
    body: dict[str, object] = {
        "optimization_goal": wire_goal,
        "billing_event": billing,
        "bid_type": BID_TYPES[strategy],
    }
    if deep:
        body["deep_bid_type"] = deep
        if deep == "VO_MIN_ROAS":
            if bid_amount is None:
                raise InvalidParameter("bid_amount", N_("a ROAS target needs the ROAS to bid"))
            body["roas_bid"] = float(bid_amount)
        return body
    field = bid_field(str(body["bid_type"]), billing)
    if bid_amount is not None and field is not None:
        body[field] = budget_to_wire(bid_amount)
    return body


def bid_field(bid_type: str, billing_event: str) -> str | None:
    """The field holding an ad group's custom bid; ``None`` when it bids without one."""
    if bid_type != "BID_TYPE_CUSTOM":
        return None
    return "conversion_bid_price" if billing_event in OPTIMIZED_BILLING else "bid_price"


def bid_field_of(adgroup: Mapping[str, object], adgroup_id: str) -> str:
    """The bid field of a listed ad group, or ``InvalidParameter`` naming ``bid``."""
    bid_type = str(adgroup.get("bid_type", ""))
    found = bid_field(bid_type, str(adgroup.get("billing_event", "")))
    if found is None:
        without = N_(
            "ad group {adgroup_id} bids without a bid (no bid to change); "
            "only BID_TYPE_CUSTOM ad groups have one"
        )
        bids = N_(
            "ad group {adgroup_id} bids {bid_type} (no bid to change); "
            "only BID_TYPE_CUSTOM ad groups have one"
        )
        raise InvalidParameter(
            "bid",
            bids if bid_type else without,
            details={"platform": "tiktok"},
            detail_params={"adgroup_id": adgroup_id, "bid_type": bid_type},
        )
    return found


def bid_from_wire(adgroup: Mapping[str, object]) -> Decimal | None:
    """A listed ad group's custom bid in major units, if it has one."""
    field = bid_field(str(adgroup.get("bid_type", "")), str(adgroup.get("billing_event", "")))
    value = adgroup.get(field) if field else None
    amount = wire_decimal(value) if value not in (None, "") else Decimal(0)
    return amount if amount > 0 else None


def learning_status(field: object) -> LearningStatus | None:
    """Always ``None``: TikTok reports no learning phase (:data:`LEARNING_STATUS_FIELD`)."""
    return None
