"""How Meta sandbox objects drive the market.

An ad set is a market ad group: it delivers while it and its campaign are ``ACTIVE``; its
daily budget is its own ``daily_budget`` (minor units), its ``lifetime_budget`` spread over its
schedule, or its share of the campaign budget (campaign budget optimisation). An ad is a
market ad whose creative key is the name of the video or image it shows, without roasloop's
``[rl:…]`` tag, falling back to the ad creative's own name, then its id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from roasloop.domain.money import from_minor_units
from roasloop.sandbox.market import Audience
from roasloop.sandbox.meta.docs import (
    AD,
    ADSET,
    CAMPAIGN,
    CREATIVE,
    IMAGE,
    VIDEO,
    children,
    strip_tag,
)
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

#: Market age buckets with inclusive bounds; Meta's ``age_max`` 65 means "65 and over".
AGE_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, 100),
)
OPEN_ENDED_AGE = 65
ONE_CENT = Decimal("0.01")


def age_buckets(age_min: int, age_max: int) -> tuple[str, ...]:
    """Buckets with at least half their width inside the range (never empty)."""
    high = 100 if age_max >= OPEN_ENDED_AGE else age_max
    chosen: list[str] = []
    best: tuple[int, str] = (-1, AGE_BUCKETS[0][0])
    for name, low, top in AGE_BUCKETS:
        overlap = min(top, high) - max(low, age_min) + 1
        if overlap * 2 >= top - low + 1:
            chosen.append(name)
        best = max(best, (overlap, name))
    return tuple(chosen) or (best[1],)


def audience_of(adset: Doc) -> Audience:
    targeting = adset["targeting"]
    countries = tuple(targeting["geo_locations"]["countries"])
    ages = age_buckets(int(targeting.get("age_min", 18)), int(targeting.get("age_max", 65)))
    return Audience(countries=countries, age_buckets=ages)


def daily_budget(world: SandboxWorld, adset: Doc) -> Decimal:
    """What the ad set may spend per day in major units (at least one cent)."""
    if adset.get("daily_budget"):
        return _at_least_a_cent(from_minor_units(int(adset["daily_budget"])))
    if adset.get("lifetime_budget"):
        days = _schedule_days(adset)
        return _at_least_a_cent(from_minor_units(int(adset["lifetime_budget"]) // days))
    campaign = world.get(CAMPAIGN, adset["campaign_id"]) or {}
    siblings = [a for a in children(world, ADSET, "campaign_id", adset["campaign_id"]) if _live(a)]
    share = int(campaign.get("daily_budget") or 0) // max(1, len(siblings))
    return _at_least_a_cent(from_minor_units(share))


def creative_key(world: SandboxWorld, ad: Doc) -> str:
    creative = world.get(CREATIVE, str(ad["creative"]["id"])) or {}
    spec = creative.get("object_story_spec", {})
    video_data, link_data = spec.get("video_data") or {}, spec.get("link_data") or {}
    video = world.get(VIDEO, str(video_data.get("video_id")))
    if video is not None and strip_tag(str(video.get("title", ""))):
        return strip_tag(str(video["title"]))
    image_hash = video_data.get("image_hash") or link_data.get("image_hash")
    image = world.get(IMAGE, f"{creative.get('account_id')}:{image_hash}")
    if image is not None and strip_tag(str(image.get("name", ""))):
        return strip_tag(str(image["name"]))
    return strip_tag(str(creative.get("name", ""))) or str(creative.get("id", ad["id"]))


def delivering(world: SandboxWorld, adset: Doc) -> bool:
    campaign = world.get(CAMPAIGN, adset["campaign_id"]) or {}
    return adset.get("status") == "ACTIVE" and campaign.get("status") == "ACTIVE"


def register_adset(world: SandboxWorld, adset: Doc) -> None:
    active = delivering(world, adset)
    budget = daily_budget(world, adset)
    world.market.add_adgroup(adset["id"], audience_of(adset), budget, world.today(), active=active)
    world.mark_market_changed()


def register_ad(world: SandboxWorld, ad: Doc) -> None:
    key = creative_key(world, ad)
    active = ad.get("status") == "ACTIVE"
    world.market.add_ad(ad["id"], ad["adset_id"], key, world.today(), active=active)
    world.mark_market_changed()


def sync_adset(world: SandboxWorld, adset: Doc) -> None:
    """Bring the market's ad group in line with the ad set's status and budget."""
    market = world.market
    budget = daily_budget(world, adset)
    if market.daily_budget(adset["id"]) != budget:
        market.set_daily_budget(adset["id"], budget, world.today())
    market.set_active(adset["id"], delivering(world, adset), world.today())
    world.mark_market_changed()


def sync_campaign(world: SandboxWorld, campaign: Doc) -> None:
    for adset in children(world, ADSET, "campaign_id", campaign["id"]):
        sync_adset(world, adset)


def set_audience(world: SandboxWorld, adset: Doc) -> None:
    world.market.set_audience(adset["id"], audience_of(adset), world.today())
    world.mark_market_changed()


def sync_ad(world: SandboxWorld, ad: Doc) -> None:
    world.market.set_active(ad["id"], ad.get("status") == "ACTIVE", world.today())
    world.mark_market_changed()


def reconcile(world: SandboxWorld) -> None:
    """Re-register objects written after the market was last saved (e.g. before a crash)."""
    known_groups, known_ads = set(world.market.adgroup_keys()), set(world.market.ad_keys())
    for adset in world.all(ADSET):
        if adset["id"] not in known_groups:
            register_adset(world, adset)
        sync_adset(world, adset)
    for ad in world.all(AD):
        if ad["id"] not in known_ads:
            register_ad(world, ad)
        sync_ad(world, ad)


def _live(doc: Doc) -> bool:
    return doc.get("status") not in ("DELETED", "ARCHIVED")


def _schedule_days(adset: Doc) -> int:
    start = datetime.fromisoformat(str(adset.get("start_time") or adset["created_time"]))
    end = datetime.fromisoformat(str(adset["end_time"]))
    return max(1, (end - start).days)


def _at_least_a_cent(amount: Decimal) -> Decimal:
    return max(amount, ONE_CENT)
