"""Pure Meta Marketing API ↔ domain mapping.

Wire facts: shared/reference/platform_apis.md §2 (ODAX objects, budgets in minor units,
insights with string values, ``X-Business-Use-Case-Usage``), from
https://developers.facebook.com/docs/marketing-api and the ``facebook-business`` SDK enums.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    LearningStatus,
    Objective,
    OptimizationGoal,
)
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Targeting
from roasloop.domain.money import from_minor_units, quantize, to_minor_units
from roasloop.errors import InvalidParameter
from roasloop.ports.platform import AdSpec, RemoteObject, ReportRow, tagged_name
from roasloop.translations import N_

JSONDict = dict[str, Any]

OBJECTIVES: Mapping[Objective, str] = {
    Objective.SALES: "OUTCOME_SALES",
    Objective.TRAFFIC: "OUTCOME_TRAFFIC",
    Objective.AWARENESS: "OUTCOME_AWARENESS",
}
OPTIMIZATION_GOALS: Mapping[OptimizationGoal, str] = {
    OptimizationGoal.CONVERSIONS: "OFFSITE_CONVERSIONS",
    OptimizationGoal.VALUE: "VALUE",
    OptimizationGoal.CLICKS: "LINK_CLICKS",
    OptimizationGoal.REACH: "REACH",
    OptimizationGoal.VIDEO_VIEWS: "THRUPLAY",
}
#: Goals that need the pixel and event in ``promoted_object``.
PIXEL_GOALS = frozenset({OptimizationGoal.CONVERSIONS, OptimizationGoal.VALUE})
PURCHASE_EVENT = "PURCHASE"
#: Every ad set is billed per impression: valid with every goal and the lowest minimum budget
#: ($1/day; https://www.facebook.com/business/help/203183363050448).
BILLING_EVENT = "IMPRESSIONS"
BID_STRATEGIES: Mapping[BidStrategy, str] = {
    BidStrategy.LOWEST_COST: "LOWEST_COST_WITHOUT_CAP",
    BidStrategy.MAX_CONVERSION_VALUE: "LOWEST_COST_WITHOUT_CAP",
    BidStrategy.TARGET_COST: "COST_CAP",
    BidStrategy.BID_CAP: "LOWEST_COST_WITH_BID_CAP",
    BidStrategy.TARGET_ROAS: "LOWEST_COST_WITH_MIN_ROAS",
}
#: Strategies whose ``bid_amount`` is a money bid (a cost or bid cap).
CAPPED_STRATEGIES = frozenset({"COST_CAP", "LOWEST_COST_WITH_BID_CAP"})
#: ``bid_constraints.roas_average_floor`` is the ROAS × 10 000 (1.5 → 15000).
ROAS_FLOOR_SCALE = 10_000
STATUS: Mapping[EntityStatus, str] = {
    EntityStatus.ACTIVE: "ACTIVE",
    EntityStatus.PAUSED: "PAUSED",
    EntityStatus.DELETED: "DELETED",
}
#: Meta's age targeting bounds; ``age_max`` 65 means "65 and over".
AGE_MIN, AGE_MAX = 18, 65
GENDERS: Mapping[str, list[int]] = {"male": [1], "female": [2]}
#: Call-to-action names roasloop uses that Meta spells differently.
CALL_TO_ACTION_ALIASES: Mapping[str, str] = {"BOOK_NOW": "BOOK_TRAVEL", "VIEW_NOW": "SEE_MORE"}
CALL_TO_ACTIONS = frozenset(
    {
        "SHOP_NOW", "LEARN_MORE", "SIGN_UP", "BUY_NOW", "ORDER_NOW", "GET_OFFER", "BOOK_TRAVEL",
        "CONTACT_US", "DOWNLOAD", "SUBSCRIBE", "WATCH_MORE", "APPLY_NOW", "GET_QUOTE", "SEE_MORE",
    }
)  # fmt: skip
#: One purchase is reported under several action types; the first present one counts.
PURCHASE_ACTION_TYPES = ("purchase", "omni_purchase", "offsite_conversion.fb_pixel_purchase")
#: Insights fields the adapter asks for.
REPORT_FIELDS = (
    "campaign_id",
    "adset_id",
    "ad_id",
    "spend",
    "impressions",
    "clicks",
    "actions",
    "action_values",
)
#: Every effective status, so insights include deleted and archived ads' past spend.
ALL_EFFECTIVE_STATUSES = (
    "ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "CAMPAIGN_PAUSED", "ADSET_PAUSED", "IN_PROCESS",
    "WITH_ISSUES", "PENDING_REVIEW", "DISAPPROVED", "PREAPPROVED", "PENDING_BILLING_INFO",
)  # fmt: skip
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"})
#: ISO 3166-1 alpha-2 codes; Meta targets countries by these.
ISO_COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW""".split()
)
COUNTRY_ALIASES: Mapping[str, str] = {"UK": "GB"}
#: Meta does not deliver to sanctioned countries (https://www.facebook.com/policies/ads).
UNSERVED_COUNTRIES = frozenset({"CU", "IR", "KP", "SY"})
#: An ad set's ``learning_stage_info.status`` → its learning phase; ``FAIL`` is what Ads
#: Manager calls "Learning limited". Graph returns the field only for active ad sets (not for
#: dynamic-creative ones, not on every account), so a missing one means "not reported"
#: (https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-learning-stage-info).
LEARNING_STAGES: Mapping[str, LearningStatus] = {
    "LEARNING": LearningStatus.LEARNING,
    "SUCCESS": LearningStatus.ACTIVE,
    "FAIL": LearningStatus.LIMITED,
}
#: Ad set fields the learning-status read asks for.
LEARNING_FIELDS = "id,learning_stage_info"


@dataclass(frozen=True, slots=True)
class Usage:
    """The highest business-use-case usage of an ad account, and when access returns."""

    pct: float = 0.0
    regain_seconds: float = 0.0


def tagged(name: str, client_key: str) -> str:
    """An object name carrying roasloop's lookup tag."""
    return tagged_name(name, client_key)


def countries(codes: Sequence[str]) -> list[str]:
    """Meta's country codes for ISO codes; unknown or unserved ones name the field."""
    found: list[str] = []
    for index, code in enumerate(codes):
        country = COUNTRY_ALIASES.get(code.upper(), code.upper())
        if country not in ISO_COUNTRIES or country in UNSERVED_COUNTRIES:
            raise InvalidParameter(
                f"target_countries[{index}]",
                N_("{platform} cannot target {country}"),
                detail_params={"platform": "Meta", "country": repr(code)},
            )
        if country not in found:
            found.append(country)
    return found


def targeting(spec: Targeting) -> JSONDict:
    """Countries and ages; automatic placements (no ``publisher_platforms``), broad audience.

    ``advantage_audience`` is sent as 0 so the age range is a hard limit, not a suggestion
    (https://developers.facebook.com/docs/marketing-api/audiences/reference/advantage-audience).
    """
    age = spec.age_range
    wire: JSONDict = {
        "geo_locations": {"countries": countries(spec.countries)},
        "age_min": min(max(age.min_age, AGE_MIN), AGE_MAX),
        "age_max": min(max(age.max_age, AGE_MIN), AGE_MAX),
        "targeting_automation": {"advantage_audience": 0},
    }
    if spec.gender in GENDERS:
        wire["genders"] = GENDERS[spec.gender]
    return wire


def budget_to_wire(amount: Decimal) -> int:
    """Budgets and bids are integers in the currency's minor unit (cents for USD)."""
    return to_minor_units(amount)


def budget_from_wire(value: object) -> Decimal | None:
    """A budget field ("2000", 2000, absent) in major units."""
    if value in (None, "", "0", 0):
        return None
    try:
        return from_minor_units(int(str(value)))
    except ValueError:
        return None


def roas_floor(target_roas: Decimal) -> int:
    return int(target_roas * ROAS_FLOOR_SCALE)


def status_from_wire(status: str) -> EntityStatus:
    """Domain status from the configured ``status`` (ARCHIVED objects no longer deliver)."""
    if status == "DELETED":
        return EntityStatus.DELETED
    return EntityStatus.ACTIVE if status == "ACTIVE" else EntityStatus.PAUSED


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def call_to_action(name: str) -> str:
    wire = CALL_TO_ACTION_ALIASES.get(name.upper(), name.upper())
    if wire not in CALL_TO_ACTIONS:
        raise InvalidParameter(
            "call_to_action",
            N_("{platform} has no call to action {name}"),
            detail_params={"platform": "Meta", "name": repr(name)},
        )
    return wire


def media_kind(media_id: str) -> str:
    """``video`` (numeric Graph id), ``picture`` (an image URL) or ``image_hash``."""
    if media_id.isdigit():
        return "video"
    return "picture" if media_id.startswith(("http://", "https://")) else "image_hash"


def is_image(media_url: str) -> bool:
    return PurePosixPath(media_url.split("?")[0]).suffix.lower() in IMAGE_SUFFIXES


def story_spec(page_id: str, spec: AdSpec, thumbnail: str = "") -> JSONDict:
    """``object_story_spec`` for one ad: a video ad, or a link ad with an image."""
    action = {"type": call_to_action(spec.call_to_action), "value": {"link": spec.landing_url}}
    kind = media_kind(spec.media_id)
    if kind == "video":
        video = {
            "video_id": spec.media_id,
            "image_url": thumbnail,
            "message": spec.copy,
            "call_to_action": action,
        }
        return {"page_id": page_id, "video_data": video}
    link = {"link": spec.landing_url, "message": spec.copy, kind: spec.media_id}
    return {"page_id": page_id, "link_data": link | {"call_to_action": action}}


def encode(params: Mapping[str, Any]) -> dict[str, str]:
    """Graph parameters as the SDK sends them: lists, objects and booleans as compact JSON."""
    return {
        key: value
        if isinstance(value, str)
        else json.dumps(value, separators=(",", ":"), sort_keys=True)
        for key, value in params.items()
    }


def parse_usage(raw: str | None, account_id: str) -> Usage | None:
    """The account's entries of ``X-Business-Use-Case-Usage`` (percentages, regain minutes).

    ``None`` when the header says nothing about the account (calls outside it, e.g. OAuth).
    """
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(usage, dict):
        return None
    entries = usage.get(account_id) or usage.get(f"act_{account_id}")
    if not isinstance(entries, list) or not entries:
        return None
    pct, regain = 0.0, 0.0
    for entry in entries:
        metrics = (entry.get(k, 0) for k in ("call_count", "total_cputime", "total_time"))
        pct = max(pct, *(float(m or 0) for m in metrics))
        regain = max(regain, float(entry.get("estimated_time_to_regain_access") or 0) * 60)
    return Usage(pct, regain)


def wire_decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


def action_value(actions: object) -> Decimal:
    """The purchase count or value in an ``actions`` / ``action_values`` list."""
    by_type = {
        str(item.get("action_type")): item.get("value")
        for item in (actions if isinstance(actions, list) else [])
        if isinstance(item, dict)
    }
    for action_type in PURCHASE_ACTION_TYPES:
        if action_type in by_type:
            return wire_decimal(by_type[action_type])
    return Decimal(0)


def metrics_from_insights(row: Mapping[str, Any]) -> MetricTotals:
    """An insights row → totals: purchases from ``actions``, revenue from ``action_values``."""
    return MetricTotals(
        impressions=int(wire_decimal(row.get("impressions"))),
        clicks=int(wire_decimal(row.get("clicks"))),
        conversions=math.floor(action_value(row.get("actions"))),
        spend=quantize(wire_decimal(row.get("spend"))),
        revenue=quantize(action_value(row.get("action_values"))),
    )


def parse_day(value: str) -> date:
    return date.fromisoformat(value)


def campaign_budget(daily_budget: Decimal | None) -> JSONDict:
    """A CBO campaign's ``daily_budget``, or ad set budgets (sharing explicitly off)."""
    if daily_budget is None:
        return {"is_adset_budget_sharing_enabled": False}
    return {"daily_budget": budget_to_wire(daily_budget)}


def report_row(row: JSONDict) -> ReportRow:
    return ReportRow(
        campaign_id=str(row.get("campaign_id", "")),
        adset_id=str(row.get("adset_id", "")),
        ad_id=str(row["ad_id"]),
        day=parse_day(str(row["date_start"])),
        metrics=metrics_from_insights(row),
    )


def learning_status(info: object) -> LearningStatus | None:
    """An ad set's ``learning_stage_info`` as a learning phase; ``None`` when absent or unknown."""
    if not isinstance(info, Mapping):
        return None
    return LEARNING_STAGES.get(str(info.get("status", "")))


def learning_statuses(rows: Iterable[JSONDict]) -> dict[str, LearningStatus]:
    """Ad set id → learning phase, for the ad set rows that report one."""
    found = ((str(row["id"]), learning_status(row.get("learning_stage_info"))) for row in rows)
    return {adset_id: status for adset_id, status in found if status is not None}


def remote_object(level: EntityLevel, row: JSONDict) -> RemoteObject:
    """A node as the port's ``RemoteObject``: campaigns and ad sets with their own budget,
    ad sets with their money bid when their strategy caps one."""
    parent = {EntityLevel.ADSET: "campaign_id", EntityLevel.AD: "adset_id"}.get(level, "")
    capped = level is EntityLevel.ADSET and row.get("bid_strategy") in CAPPED_STRATEGIES
    return RemoteObject(
        level=level,
        object_id=str(row["id"]),
        name=str(row.get("name", "")),
        status=status_from_wire(str(row.get("status", ""))),
        parent_id=str(row.get(parent, "")) if parent else "",
        daily_budget=(
            budget_from_wire(row.get("daily_budget")) if level is not EntityLevel.AD else None
        ),
        bid=budget_from_wire(row.get("bid_amount")) if capped else None,
    )
