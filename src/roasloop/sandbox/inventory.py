"""What each sandbox holds, in roasloop's terms: live campaigns, ad sets and ads.

Used by tests and benchmarks to compare a sandbox's own records with roasloop's (no
duplicates, no orphans). Names are as the platform stores them, client-key tags included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from roasloop.domain.enums import EntityLevel, Platform
from roasloop.sandbox.world import SandboxWorld

Inventory = dict[EntityLevel, list[tuple[str, str]]]


def tiktok(world: SandboxWorld) -> Inventory:
    def live(kind: str) -> list[tuple[str, str]]:
        return [
            (d[f"{kind}_id"], d[f"{kind}_name"])
            for d in world.all(kind)
            if d.get("operation_status") != "DELETE"
        ]

    return {
        EntityLevel.CAMPAIGN: live("campaign"),
        EntityLevel.ADSET: live("adgroup"),
        EntityLevel.AD: live("ad"),
    }


def meta(world: SandboxWorld) -> Inventory:
    def live(kind: str) -> list[tuple[str, str]]:
        return [
            (str(d["id"]), str(d.get("name", "")))
            for d in world.all(kind)
            if d.get("status") not in ("DELETED", "ARCHIVED")
        ]

    return {
        EntityLevel.CAMPAIGN: live("meta_campaign"),
        EntityLevel.ADSET: live("meta_adset"),
        EntityLevel.AD: live("meta_ad"),
    }


def google(world: SandboxWorld) -> Inventory:
    """Lead campaigns only: each ad set's member campaign carries the ad set's tag too."""

    def live(kind: str, name: Callable[[dict[str, object]], object]) -> Iterable[tuple[str, str]]:
        return (
            (str(d["_key"]), str(name(d))) for d in world.all(kind) if d.get("status") != "REMOVED"
        )

    campaigns = [
        c for c in live("gads:campaigns", lambda d: d.get("name", "")) if "[rlg:" not in c[1]
    ]
    ads = live("gads:adGroupAds", _ad_name)
    return {
        EntityLevel.CAMPAIGN: campaigns,
        EntityLevel.ADSET: list(live("gads:adGroups", lambda d: d.get("name", ""))),
        EntityLevel.AD: list(ads),
    }


def _ad_name(doc: dict[str, object]) -> object:
    ad = doc.get("ad")
    return ad.get("name", "") if isinstance(ad, dict) else ""


INVENTORIES: dict[Platform, Callable[[SandboxWorld], Inventory]] = {
    Platform.TIKTOK: tiktok,
    Platform.META: meta,
    Platform.GOOGLE: google,
}
