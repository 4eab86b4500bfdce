"""How TikTok sandbox objects drive the market: ad groups deliver when they and their
campaign are enabled; ads when enabled; budgets and audiences are market edits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from roasloop.sandbox.market import Audience
from roasloop.sandbox.tiktok.protocol import AGE_BUCKETS, LOCATION_COUNTRIES
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]


def audience_of(adgroup: Doc) -> Audience:
    countries = tuple(LOCATION_COUNTRIES.get(str(i), "OTHER") for i in adgroup["location_ids"])
    groups = adgroup.get("age_groups") or list(AGE_BUCKETS)
    buckets = tuple(bucket for group in groups for bucket in AGE_BUCKETS[group])
    return Audience(countries=countries, age_buckets=buckets)


def creative_key(world: SandboxWorld, ad: Doc) -> str:
    """The market's creative key: the uploaded file's name without roasloop's ``[rl:…]`` tag."""
    video = world.get("video", str(ad.get("video_id")))
    if video is None:
        return str(ad["ad_id"])
    name = str(video.get("file_name", video["video_id"]))
    return name.split(" [rl:")[0].strip() or str(video["video_id"])


def delivering(world: SandboxWorld, adgroup: Doc) -> bool:
    campaign = world.get("campaign", adgroup["campaign_id"]) or {}
    enabled = adgroup.get("operation_status") == "ENABLE"
    return enabled and campaign.get("operation_status") == "ENABLE"


def register_adgroup(world: SandboxWorld, adgroup: Doc) -> None:
    budget = Decimal(str(adgroup["budget"]))
    active = delivering(world, adgroup)
    world.market.add_adgroup(
        adgroup["adgroup_id"], audience_of(adgroup), budget, world.today(), active=active
    )
    world.mark_market_changed()


def register_ad(world: SandboxWorld, ad: Doc) -> None:
    active = ad["operation_status"] == "ENABLE"
    key = creative_key(world, ad)
    world.market.add_ad(ad["ad_id"], ad["adgroup_id"], key, world.today(), active=active)
    world.mark_market_changed()


def set_budget(world: SandboxWorld, adgroup: Doc, budget: Decimal) -> None:
    world.market.set_daily_budget(adgroup["adgroup_id"], budget, world.today())
    world.mark_market_changed()


def set_audience(world: SandboxWorld, adgroup: Doc) -> None:
    world.market.set_audience(adgroup["adgroup_id"], audience_of(adgroup), world.today())
    world.mark_market_changed()


def sync_adgroup(world: SandboxWorld, adgroup: Doc) -> None:
    world.market.set_active(adgroup["adgroup_id"], delivering(world, adgroup), world.today())
    world.mark_market_changed()


def sync_ad(world: SandboxWorld, ad: Doc) -> None:
    world.market.set_active(ad["ad_id"], ad["operation_status"] == "ENABLE", world.today())
    world.mark_market_changed()


def reconcile(world: SandboxWorld) -> None:
    """Re-register objects written after the market was last saved (e.g. before a crash)."""
    known_groups, known_ads = set(world.market.adgroup_keys()), set(world.market.ad_keys())
    for adgroup in world.all("adgroup"):
        if adgroup["adgroup_id"] not in known_groups:
            register_adgroup(world, adgroup)
        sync_adgroup(world, adgroup)
    for ad in world.all("ad"):
        if ad["ad_id"] not in known_ads:
            register_ad(world, ad)
        sync_ad(world, ad)
