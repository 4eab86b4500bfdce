"""Mutable state of the market's entities and its JSON form.

Everything is integers (cents, counts, date ordinals), strings and a few floats, so a
``json.dumps``/``json.loads`` round trip restores it bit for bit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from roasloop.sandbox.market._params import Audience

LEARNING = "learning"
LIMITED = "limited"
ACTIVE = "active"


@dataclass
class LearningState:
    """Learning phase of one ad group; ``recent`` holds [ordinal, events] within the window."""

    status: str
    reset_day: int
    events_since_reset: int = 0
    recent: list[list[int]] = field(default_factory=list)
    resets: int = 0


@dataclass
class AdDay:
    """One ad's simulated day; money in cents, reported series indexed by visibility lag."""

    impressions: int
    clicks: int
    spend: int
    conversions: int
    revenue: int
    reported_counts: list[int]
    reported_revenue: list[int]


@dataclass
class GroupDay:
    """One ad group's day: learning state at the start, budget in effect and spend (cents)."""

    status: str
    learning_mult: float
    budget: int
    spend: int


@dataclass
class AdState:
    key: str
    adgroup: str
    creative: str
    active: bool
    launched: int
    cum_impressions: int = 0
    days: dict[int, AdDay] = field(default_factory=dict)


@dataclass
class AdGroupState:
    key: str
    audience: Audience
    budget: int
    active: bool
    launched: int
    learning: LearningState
    paused_on: int | None = None
    ads: list[str] = field(default_factory=list)
    days: dict[int, GroupDay] = field(default_factory=dict)


def group_to_dict(group: AdGroupState) -> dict[str, Any]:
    return {
        "key": group.key,
        "audience": group.audience.to_dict(),
        "budget": group.budget,
        "active": group.active,
        "launched": group.launched,
        "paused_on": group.paused_on,
        "learning": asdict(group.learning),
        "ads": list(group.ads),
        "days": [
            [day, r.status, r.learning_mult, r.budget, r.spend] for day, r in group.days.items()
        ],
    }


def group_from_dict(data: dict[str, Any]) -> AdGroupState:
    return AdGroupState(
        key=data["key"],
        audience=Audience.from_dict(data["audience"]),
        budget=data["budget"],
        active=data["active"],
        launched=data["launched"],
        learning=LearningState(
            **{**data["learning"], "recent": [list(r) for r in data["learning"]["recent"]]}
        ),
        paused_on=data["paused_on"],
        ads=list(data["ads"]),
        days={row[0]: GroupDay(*row[1:]) for row in data["days"]},
    )


def ad_to_dict(ad: AdState) -> dict[str, Any]:
    return {
        "key": ad.key,
        "adgroup": ad.adgroup,
        "creative": ad.creative,
        "active": ad.active,
        "launched": ad.launched,
        "cum_impressions": ad.cum_impressions,
        "days": [_ad_day_row(day, rec) for day, rec in ad.days.items()],
    }


def ad_from_dict(data: dict[str, Any]) -> AdState:
    return AdState(
        key=data["key"],
        adgroup=data["adgroup"],
        creative=data["creative"],
        active=data["active"],
        launched=data["launched"],
        cum_impressions=data["cum_impressions"],
        days={row[0]: _ad_day(row[1:]) for row in data["days"]},
    )


def _ad_day(row: list[Any]) -> AdDay:
    impressions, clicks, spend, conversions, revenue, counts, money = row
    return AdDay(impressions, clicks, spend, conversions, revenue, list(counts), list(money))


def _ad_day_row(day: int, r: AdDay) -> list[Any]:
    counts, money = list(r.reported_counts), list(r.reported_revenue)
    return [day, r.impressions, r.clicks, r.spend, r.conversions, r.revenue, counts, money]
