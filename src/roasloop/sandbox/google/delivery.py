"""How Google Ads sandbox objects drive the market.

* An ad group is a market ad group. Google budgets belong to campaigns, so an ad group's
  market budget is its campaign budget split equally (to the cent) across the campaign's
  delivering ad groups; roasloop gives every ad group its own campaign, so there the whole
  campaign budget governs the one ad group.
* An ad group delivers while it, its campaign and the campaign's budget are enabled and its
  age exclusions leave someone to reach.
* Audience: countries from the campaign's positive location criteria (none: the simulator's
  "other" region); ages are every adult range minus the ad group's *negative* age criteria
  (Google targets all ages unless ranges are excluded; positive age criteria only carry
  bid modifiers).
* An ad is a market ad; its creative key is the name of its image or video asset (else the
  ad's name) without roasloop's `` [rl:…]`` tag, so one creative shares its quality across
  ad groups as on the other platforms.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from roasloop.domain.money import MICROS_PER_UNIT, quantize, split_equally
from roasloop.sandbox.google import learning
from roasloop.sandbox.google.protocol import AGE_RANGES, GEO_COUNTRIES, key_of, kind
from roasloop.sandbox.market import Audience
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
ADULT_AGES = tuple(bucket for _, buckets in AGE_RANGES.values() for bucket in buckets)
#: Market budgets must be positive; a cent is the smallest a split can give.
MIN_SHARE = Decimal("0.01")


def sync(world: SandboxWorld, campaign_ids: Iterable[str], ad_ids: Iterable[str]) -> None:
    """Bring the market in step with the named campaigns (their ad groups) and ads."""
    for campaign_id in sorted(set(campaign_ids)):
        _sync_campaign(world, campaign_id)
    ads = set(ad_ids)
    if ads:
        for doc in world.all(kind("adGroupAds")):
            if doc["ad"]["id"] in ads:
                _sync_ad(world, doc)
    world.mark_market_changed()


def reconcile(world: SandboxWorld) -> None:
    """Re-register everything written after the market was last saved (e.g. a crash)."""
    campaigns = [doc["id"] for doc in world.all(kind("campaigns"))]
    ads = [doc["ad"]["id"] for doc in world.all(kind("adGroupAds"))]
    sync(world, campaigns, ads)


def _sync_campaign(world: SandboxWorld, campaign_id: str) -> None:
    campaign = world.get(kind("campaigns"), campaign_id)
    if campaign is None:
        return
    groups = [
        g for g in world.all(kind("adGroups")) if key_of(str(g.get("campaign"))) == campaign_id
    ]
    budget = _budget(world, campaign)
    audiences = {g["id"]: _audience(world, campaign, g) for g in groups}
    live = [g for g in groups if _delivering(campaign, g, budget) and audiences[g["id"]][1]]
    shares = dict(
        zip((g["id"] for g in live), split_equally(budget, max(1, len(live))), strict=False)
    )
    known = set(world.market.adgroup_keys())
    market, today = world.market, world.today()
    for group in groups:
        key = group["id"]
        audience = audiences[key][0]
        share = max(shares.get(key, budget), MIN_SHARE)
        active = key in shares
        if key not in known:
            market.add_adgroup(key, audience, share, today, active=active)
            continue
        learning.edit(world, group, learning.NEW, partial(market.set_active, key, active, today))
        if market.daily_budget(key) != share:
            change = partial(market.set_daily_budget, key, share, today)
            learning.edit(world, group, learning.BUDGET_CHANGE, change)
        change = partial(market.set_audience, key, audience, today)
        learning.edit(world, group, learning.SETTING_CHANGE, change)


def _sync_ad(world: SandboxWorld, ad_group_ad: Doc) -> None:
    ad_id = ad_group_ad["ad"]["id"]
    active = ad_group_ad.get("status") == "ENABLED"
    if ad_id in set(world.market.ad_keys()):
        world.market.set_active(ad_id, active, world.today())
        return
    ad_group_id = key_of(ad_group_ad["adGroup"])
    if ad_group_id not in set(world.market.adgroup_keys()):
        return
    key = creative_key(world, ad_group_ad)
    add = partial(world.market.add_ad, ad_id, ad_group_id, key, world.today(), active=active)
    group = world.get(kind("adGroups"), ad_group_id)
    if group is None:
        add()
        return
    learning.edit(world, group, learning.COMPOSITION_CHANGE, add)


def creative_key(world: SandboxWorld, ad_group_ad: Doc) -> str:
    """The asset's (else the ad's) name without roasloop's ``[rl:…]`` tag."""
    ad = ad_group_ad["ad"]
    name = ""
    for info in (ad.get("demandGenMultiAssetAd"), ad.get("demandGenVideoResponsiveAd")):
        media = (info or {}).get("marketingImages") or (info or {}).get("videos") or []
        if media:
            asset = world.get(kind("assets"), key_of(str(media[0].get("asset", ""))))
            name = str((asset or {}).get("name", ""))
    name = name or str(ad.get("name", ""))
    return name.split(" [rl:")[0].strip() or str(ad["id"])


def _budget(world: SandboxWorld, campaign: Doc) -> Decimal:
    budget = world.get(kind("campaignBudgets"), key_of(str(campaign.get("campaignBudget"))))
    if budget is None or budget.get("status") == "REMOVED":
        return Decimal(0)
    return quantize(Decimal(int(budget.get("amountMicros", "0"))) / MICROS_PER_UNIT)


def _delivering(campaign: Doc, group: Doc, budget: Decimal) -> bool:
    enabled = campaign.get("status") == "ENABLED" and group.get("status") == "ENABLED"
    return enabled and budget > 0


def _audience(world: SandboxWorld, campaign: Doc, group: Doc) -> tuple[Audience, bool]:
    """The ad group's audience and whether anyone is left to reach."""
    countries = sorted(
        {
            GEO_COUNTRIES[str(c["criterionId"])]
            for c in world.all(kind("campaignCriteria"))
            if c.get("campaign") == campaign["resourceName"]
            and c.get("status") != "REMOVED"
            and not c.get("negative")
            and str(c.get("criterionId")) in GEO_COUNTRIES
        }
    )
    excluded = {
        bucket
        for c in world.all(kind("adGroupCriteria"))
        if c.get("adGroup") == group["resourceName"]
        and c.get("status") != "REMOVED"
        and c.get("negative")
        and "ageRange" in c
        for bucket in AGE_RANGES[c["ageRange"]["type"]][1]
    }
    ages = tuple(age for age in ADULT_AGES if age not in excluded)
    audience = Audience(countries=tuple(countries) or ("OTHER",), age_buckets=ages)
    return audience, bool(ages)
