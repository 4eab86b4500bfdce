"""Pure Google Ads API (REST) ↔ domain mapping.

Wire facts: https://developers.google.com/google-ads/api/rest/overview (camelCase JSON,
int64 as strings, money in micros) as summarised in ``shared/reference/platform_apis.md`` §3.

The structure roasloop builds (see :mod:`roasloop.platforms.google.client` for why):

* roasloop campaign → a Demand Gen *lead* campaign named ``{name} [rl:{key}]``; it holds no
  ad groups (so its placeholder budget never spends) and carries the campaign's name,
  objective bidding and status;
* roasloop ad set → its own *member* campaign (budget = the ad set's daily budget, location
  criteria, bidding from the ad set's goal) named ``… [rl:{key}] [rlg:{lead id}]`` holding
  one ad group ``{name} [rl:{key}]`` whose age exclusions carve out the ad set's ages;
* roasloop ad → a Demand Gen multi-asset ad ``{name} [rl:{key}]`` over the creative's image
  asset; its roasloop id is the AdGroupAd key ``{ad group id}~{ad id}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    LearningStatus,
    Objective,
    OptimizationGoal,
)
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import AgeRange
from roasloop.domain.money import from_micros, quantize, to_micros
from roasloop.errors import InvalidParameter
from roasloop.ports.platform import AdSpec, RemoteObject, tagged_name
from roasloop.translations import N_

JSON = dict[str, Any]

CHANNEL = "DEMAND_GEN"
#: Required on campaign create since 2025 (EU political ads regulation); roasloop never
#: runs political ads (https://support.google.com/adspolicy/answer/6014595).
EU_POLITICAL = "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"
#: The lead campaign's placeholder budget: it has no ad groups, so it never spends.
LEAD_BUDGET = Decimal("1.00")

#: ISO 3166-1 alpha-2 → country geo target constant (criterion id = 2000 + ISO numeric code,
#: https://developers.google.com/google-ads/api/data/geotargets).
GEO_TARGETS: Mapping[str, int] = {
    "US": 2840, "GB": 2826, "UK": 2826, "CA": 2124, "AU": 2036, "NZ": 2554, "IE": 2372,
    "DE": 2276, "FR": 2250, "IT": 2380, "ES": 2724, "NL": 2528, "BE": 2056, "AT": 2040,
    "CH": 2756, "SE": 2752, "NO": 2578, "DK": 2208, "FI": 2246, "PL": 2616, "PT": 2620,
    "JP": 2392, "KR": 2410, "SG": 2702, "MY": 2458, "TH": 2764, "VN": 2704, "PH": 2608,
    "ID": 2360, "IN": 2356, "HK": 2344, "TW": 2158, "AE": 2784, "SA": 2682, "QA": 2634,
    "KW": 2414, "TR": 2792, "IL": 2376, "EG": 2818, "ZA": 2710, "MX": 2484, "BR": 2076,
    "AR": 2032, "CL": 2152, "CO": 2170,
}  # fmt: skip

#: AgeRangeType with inclusive bounds; 65_UP counted as 65–74 when measuring overlap.
AGE_RANGES: tuple[tuple[str, int, int], ...] = (
    ("AGE_RANGE_18_24", 18, 24),
    ("AGE_RANGE_25_34", 25, 34),
    ("AGE_RANGE_35_44", 35, 44),
    ("AGE_RANGE_45_54", 45, 54),
    ("AGE_RANGE_55_64", 55, 64),
    ("AGE_RANGE_65_UP", 65, 74),
)
#: People Google cannot age; excluded so that age-group ad sets do not overlap.
AGE_UNDETERMINED = "AGE_RANGE_UNDETERMINED"

STATUS: Mapping[EntityStatus, str] = {
    EntityStatus.ACTIVE: "ENABLED",
    EntityStatus.PAUSED: "PAUSED",
}

#: The lead campaign's bidding by objective. Demand Gen offers conversion, value and click
#: bidding only (no CPM or impression-share schemes), so awareness maximises clicks.
OBJECTIVE_BIDDING: Mapping[Objective, str] = {
    Objective.SALES: "maximizeConversions",
    Objective.TRAFFIC: "targetSpend",
    Objective.AWARENESS: "targetSpend",
}

#: Demand Gen call-to-action texts for roasloop's call-to-action codes.
CALL_TO_ACTION: Mapping[str, str] = {
    "SHOP_NOW": "Shop now",
    "LEARN_MORE": "Learn more",
    "SIGN_UP": "Sign up",
    "ORDER_NOW": "Order now",
    "BOOK_NOW": "Book now",
    "CONTACT_US": "Contact us",
    "SUBSCRIBE": "Subscribe",
    "APPLY_NOW": "Apply now",
    "GET_QUOTE": "Get quote",
    "WATCH_NOW": "Watch now",
    "DOWNLOAD_NOW": "Download",
}
#: ``campaign.bidding_strategy_system_status`` → the learning phase of the campaign's ad
#: groups (a campaign attribute: roasloop gives each ad set its own member campaign). Every
#: ``LEARNING_*`` cause is learning; ``LIMITED_BY_DATA`` ("not enough conversion traffic over
#: the past weeks") is Google's "learning limited"; ``ENABLED`` and the limits that are not
#: about data (budget, bid ceiling or floor, inventory …) mean the strategy has learned. Paused,
#: misconfigured, unavailable and mixed ``MULTIPLE*`` statuses name no phase
#: (https://developers.google.com/google-ads/api/docs/campaigns/bidding/strategy-status,
#: https://developers.google.com/google-ads/api/reference/rpc/v25/BiddingStrategySystemStatusEnum.BiddingStrategySystemStatus).
LEARNING_SYSTEM_STATUSES = frozenset(
    {
        "LEARNING_NEW", "LEARNING_SETTING_CHANGE", "LEARNING_BUDGET_CHANGE",
        "LEARNING_COMPOSITION_CHANGE", "LEARNING_CONVERSION_TYPE_CHANGE",
        "LEARNING_CONVERSION_SETTING_CHANGE", "MULTIPLE_LEARNING",
    }
)  # fmt: skip
LIMITED_SYSTEM_STATUSES = frozenset({"LIMITED_BY_DATA"})
SYSTEM_STATUS = "biddingStrategySystemStatus"
LEARNED_SYSTEM_STATUSES = frozenset(
    {
        "ENABLED", "LIMITED_BY_CPC_BID_CEILING", "LIMITED_BY_CPC_BID_FLOOR", "LIMITED_BY_BUDGET",
        "LIMITED_BY_LOW_PRIORITY_SPEND", "LIMITED_BY_LOW_QUALITY", "LIMITED_BY_INVENTORY",
    }
)  # fmt: skip

HEADLINE_MAX = 40
BUSINESS_NAME_MAX = 25

#: GAQL LIKE treats ``[ ] % _`` specially; each is matched literally inside brackets
#: (https://developers.google.com/google-ads/api/docs/query/grammar#rules_and_limitations).
_LIKE_SPECIAL = re.compile(r"([\[\]%_])")


# --- names and queries ---------------------------------------------------------------------
def tagged(name: str, client_key: str) -> str:
    return tagged_name(name, client_key)


def group_tag(lead_id: str) -> str:
    """The marker tying an ad set's member campaign to its lead campaign."""
    return f"[rlg:{lead_id}]"


def is_member(campaign_name: str) -> bool:
    """Whether a campaign is an ad set's member campaign (not a lead campaign)."""
    return "[rlg:" in campaign_name


def like_contains(text: str) -> str:
    """A GAQL LIKE pattern matching names that contain ``text`` literally."""
    return "%" + _LIKE_SPECIAL.sub(r"[\1]", text) + "%"


def gaql_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def base_name(name: str) -> str:
    """A name without roasloop's tags."""
    return re.sub(r"\s*\[rlg?:[^\]]*\]", "", name).strip()


def key_of(resource_name: str) -> str:
    """``customers/1/adGroups/2`` → ``2``."""
    return resource_name.rsplit("/", 1)[-1]


# --- targeting ----------------------------------------------------------------------------
def geo_target_constants(countries: Sequence[str]) -> list[str]:
    """Geo target constant resource names; an unknown country names the field."""
    constants: list[str] = []
    for index, country in enumerate(countries):
        target = GEO_TARGETS.get(country.upper())
        if target is None:
            raise InvalidParameter(
                f"target_countries[{index}]",
                N_("unsupported country code {country}"),
                detail_params={"country": repr(country)},
            )
        name = f"geoTargetConstants/{target}"
        if name not in constants:
            constants.append(name)
    return constants


def targeted_age_ranges(age_range: AgeRange) -> list[str]:
    """Google age ranges covering at least half their width inside ``age_range`` (never
    empty); 65_UP whenever the range reaches 65, so (51, 65) reaches everyone over 55."""
    chosen: list[str] = []
    best: tuple[int, str] = (-1, AGE_RANGES[0][0])
    for name, low, high in AGE_RANGES:
        overlap = min(high, age_range.max_age) - max(low, age_range.min_age) + 1
        reaches_top = name == "AGE_RANGE_65_UP" and age_range.max_age >= low
        if overlap * 2 >= high - low + 1 or reaches_top:
            chosen.append(name)
        best = max(best, (overlap, name))
    return chosen or [best[1]]


def excluded_age_ranges(age_range: AgeRange) -> list[str]:
    """Negative age criteria: Google targets every age unless ranges are excluded."""
    targeted = set(targeted_age_ranges(age_range))
    return [name for name, _, _ in AGE_RANGES if name not in targeted] + [AGE_UNDETERMINED]


# --- bidding and money ---------------------------------------------------------------------
def objective_bidding(objective: Objective) -> JSON:
    return {OBJECTIVE_BIDDING[objective]: {}}


def adset_bidding(goal: OptimizationGoal, strategy: BidStrategy, bid: Decimal | None) -> JSON:
    """The member campaign's bidding for the ad set's goal; ``bid`` is a target CPA or a CPC
    ceiling in money, or (TARGET_ROAS) a return-on-ad-spend ratio such as 2.5."""
    if goal in (OptimizationGoal.CLICKS, OptimizationGoal.REACH, OptimizationGoal.VIDEO_VIEWS):
        ceiling = {"cpcBidCeilingMicros": micros(bid)} if bid is not None else {}
        return {"targetSpend": ceiling}
    if goal is OptimizationGoal.VALUE or strategy in (
        BidStrategy.TARGET_ROAS,
        BidStrategy.MAX_CONVERSION_VALUE,
    ):
        target = {"targetRoas": float(bid)} if strategy is BidStrategy.TARGET_ROAS and bid else {}
        return {"maximizeConversionValue": target}
    if bid is not None and strategy in (BidStrategy.TARGET_COST, BidStrategy.BID_CAP):
        return {"maximizeConversions": {"targetCpaMicros": micros(bid)}}
    return {"maximizeConversions": {}}


def micros(amount: Decimal) -> str:
    """Major units → int64 micros as the JSON string Google expects (whole cents)."""
    return str(to_micros(amount))


def from_wire_micros(value: object) -> Decimal:
    return from_micros(int(str(value or "0")))


# --- ads ---------------------------------------------------------------------------------
def ad_body(spec: AdSpec) -> JSON:
    """A Demand Gen multi-asset ad carrying the copy, landing URL and image asset."""
    info: JSON = {
        "marketingImages": [{"asset": spec.media_id}],
        "headlines": [{"text": headline(spec.copy, spec.name)}],
        "descriptions": [{"text": spec.copy}],
        "businessName": business_name(spec.landing_url),
    }
    cta = CALL_TO_ACTION.get(spec.call_to_action)
    if cta is not None:
        info["callToActionText"] = cta
    return {
        "name": tagged(spec.name, spec.client_key),
        "finalUrls": [spec.landing_url],
        "demandGenMultiAssetAd": info,
    }


def headline(copy: str, fallback: str) -> str:
    """The copy's first words that fit a 40-character headline."""
    text = " ".join(copy.split()) or fallback
    if len(text) <= HEADLINE_MAX:
        return text
    cut = text[: HEADLINE_MAX + 1].rsplit(" ", 1)[0]
    return (cut if 0 < len(cut) <= HEADLINE_MAX else text[:HEADLINE_MAX]).rstrip(" ,.;:-")


def business_name(landing_url: str) -> str:
    host = (urlparse(landing_url).hostname or "roasloop").removeprefix("www.")
    return host[:BUSINESS_NAME_MAX]


# --- reads -------------------------------------------------------------------------------
def status_from_wire(status: str) -> EntityStatus:
    if status == "REMOVED":
        return EntityStatus.DELETED
    return EntityStatus.ACTIVE if status == "ENABLED" else EntityStatus.PAUSED


def learning_status(system_status: object) -> LearningStatus | None:
    """A bidding strategy's system status as its ad groups' learning phase (``None``: none)."""
    if system_status in LEARNING_SYSTEM_STATUSES:
        return LearningStatus.LEARNING
    if system_status in LIMITED_SYSTEM_STATUSES:
        return LearningStatus.LIMITED
    return LearningStatus.ACTIVE if system_status in LEARNED_SYSTEM_STATUSES else None


def learning_statuses(rows: Sequence[JSON]) -> dict[str, LearningStatus]:
    """Ad group id → learning phase, from ``ad_group`` rows with their campaign's status."""
    statuses = {
        str(row["adGroup"]["id"]): learning_status(row["campaign"].get(SYSTEM_STATUS))
        for row in rows
    }
    return {ad_group: status for ad_group, status in statuses.items() if status is not None}


def metrics_from_row(metrics: Mapping[str, Any]) -> MetricTotals:
    """A GoogleAdsRow's metrics: costMicros (int64 string) → money, conversions (double,
    fractional under data-driven attribution) → nearest whole number, value → revenue."""
    return MetricTotals(
        impressions=int(str(metrics.get("impressions", "0"))),
        clicks=int(str(metrics.get("clicks", "0"))),
        conversions=int(_decimal(metrics.get("conversions")).to_integral_value(ROUND_HALF_UP)),
        spend=from_wire_micros(metrics.get("costMicros")),
        revenue=quantize(_decimal(metrics.get("conversionsValue"))),
    )


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def remote_object(
    level: EntityLevel,
    object_id: str,
    item: JSON,
    parent: str = "",
    budget: Decimal | None = None,
    bid: Decimal | None = None,
) -> RemoteObject:
    """A search row's resource as the port's ``RemoteObject``."""
    return RemoteObject(
        level=level,
        object_id=object_id,
        name=str(item.get("name", "")),
        status=status_from_wire(str(item.get("status", ""))),
        parent_id=parent,
        daily_budget=budget,
        bid=bid,
    )


def ad_remote(row: JSON) -> RemoteObject:
    """An ad_group_ad row; the ad's name lives on the nested Ad."""
    item = {**row["adGroupAd"], "name": row["adGroupAd"]["ad"].get("name", "")}
    return remote_object(EntityLevel.AD, ad_id(row), item, str(row["adGroup"]["id"]))


def ad_id(row: JSON) -> str:
    """roasloop's ad id: the AdGroupAd key ``{ad group id}~{ad id}``."""
    return f"{row['adGroup']['id']}~{row['adGroupAd']['ad']['id']}"
