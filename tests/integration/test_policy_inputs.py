"""optimize_budget's store revenue: read from a connected shop, none by default."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from roasloop.bootstrap import build_runtime
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.errors import ServiceUnavailable
from roasloop.module import CampaignAutomation
from roasloop.platforms.google.driver import DRIVER
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.shop import ShopOrders, StoreRevenue, daily_totals
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld
from tests.integration.google_rig import START
from tests.integration.test_google_module import Module


class MarketShop(ShopOrders):
    """A shop recording the market's true revenue of each ad set's ads per day (a double of
    the port: no shop connector exists yet, and the sandbox has no shop)."""

    def __init__(self, world: SandboxWorld, *, down: bool = False) -> None:
        self.world = world
        self.down = down
        self.asked: list[tuple[str, Platform, str, date, date]] = []

    async def revenue(
        self, tenant_id: str, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[StoreRevenue]:
        self.asked.append((tenant_id, platform, campaign_id, start, end))
        if self.down:
            raise ServiceUnavailable("the shop is down")
        market = self.world.market
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        return [
            StoreRevenue(day, market.true_outcome(ad, day).revenue, adset_id=group)
            for group in market.adgroup_keys()
            for ad in market.ad_keys(group)
            for day in days
        ]


@pytest.fixture
async def google(tmp_path: Path) -> AsyncIterator[tuple[Module, MarketShop]]:
    """The Google sandbox with a shop connected."""
    clock = SimulatedClock(START)
    world = SandboxWorld(tmp_path / "google.db", clock, Scenario.default("google"), seed=2)
    shop = MarketShop(world)

    async def no_sleep(seconds: float) -> None:
        return None

    runtime = await build_runtime(
        Settings(data_dir=tmp_path, log_level="CRITICAL", enabled_platforms=[Platform.GOOGLE]),
        clock=clock,
        sandboxes={Platform.GOOGLE: world},
        retry_sleep=no_sleep,
        drivers={Platform.GOOGLE: DRIVER},
        shop_orders=shop,
    )
    module = Module(CampaignAutomation(runtime=runtime), world, clock, tmp_path / "media")
    yield module, shop
    await module.module.aclose()
    world.close()


def _decided(result: dict[str, Any]) -> list[tuple[str, str, float | None]]:
    assert result["status"] == "success" and result["warnings"] == [], result
    return [(o["adset_id"], o["action"], o["new_budget"]) for o in result["optimizations"]]


def _shares(result: dict[str, Any]) -> set[float]:
    return {o["metrics"]["tracking_reported_share"] for o in result["optimizations"]}


async def test_store_revenue_is_read_only_from_a_connected_shop(
    google: tuple[Module, MarketShop],
) -> None:
    module, shop = google
    creatives = [await module.creative(f"cr{i}") for i in range(3)]
    params = {"objective": "sales", "daily_budget": 150, "creative_ids": creatives,
              "idempotency_key": "shop"}  # fmt: skip
    created = await module.run("create_campaign", params)
    preview = {"campaign_id": created["campaign_id"], "target_roas": "3"}  # dry runs
    module.clock.advance(timedelta(days=12))
    connected = await module.run("optimize_budget", preview)
    shop.down = True
    unavailable = await module.run("optimize_budget", preview)
    runtime = await module.module.runtime()
    runtime.deps = replace(runtime.deps, shop_orders=None)  # production's default: no shop
    unconnected = await module.run("optimize_budget", preview)

    assert _decided(unconnected) and _shares(unconnected) == {1.0}  # the reports are trusted
    assert _decided(unavailable) == _decided(unconnected)  # a shop down counts as none
    assert _shares(unavailable) == {1.0}
    measured = _shares(connected)
    assert len(measured) == 1 and measured != {1.0}  # the tracking share, measured
    assert [(tenant, platform) for tenant, platform, *_ in shop.asked] == [
        ("u1", Platform.GOOGLE)
    ] * 2
    _, _, campaign_id, start, end = shop.asked[0]
    assert campaign_id == created["campaign_id"]
    assert (start, end) == (START.date(), module.clock.today() - timedelta(days=1))


def test_daily_totals_add_ad_set_and_campaign_rows_per_day() -> None:
    day, later = date(2026, 3, 2), date(2026, 3, 3)
    rows = [
        StoreRevenue(day, Decimal("10.50"), adset_id="a"),
        StoreRevenue(day, Decimal("4.25"), adset_id="b"),
        StoreRevenue(day, Decimal("1.00")),
        StoreRevenue(later, Decimal("0")),
    ]
    assert daily_totals(rows) == {day: Decimal("15.75"), later: Decimal("0")}
