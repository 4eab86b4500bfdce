"""TikTok value bidding on the api: the sandbox holds ``adgroup/create`` to TikTok's rules
and the adapter sends a ROAS target the way TikTok takes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from roasloop.domain.enums import BidStrategy, OptimizationGoal
from roasloop.platforms.tiktok.mapping import adgroup_bidding
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.tiktok.api import create_tiktok_app
from roasloop.sandbox.world import SandboxWorld
from tests.integration.harness import START

API = "/open_api/v1.3"


class Api:
    def __init__(self, http: httpx.AsyncClient, token: str, advertiser: str) -> None:
        self.http, self.token, self.advertiser = http, token, advertiser

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(
            f"{API}{path}",
            json={"advertiser_id": self.advertiser, **body},
            headers={"Access-Token": self.token},
        )
        payload: dict[str, Any] = response.json()
        return payload


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    world = SandboxWorld(tmp_path / "sandbox.db", SimulatedClock(START), Scenario.default(), seed=5)
    transport = httpx.ASGITransport(app=create_tiktok_app(world))
    async with httpx.AsyncClient(transport=transport, base_url="http://tiktok.invalid") as http:
        grant = await http.post(
            f"{API}/oauth2/access_token/",
            json={"app_id": SANDBOX_APP_ID, "secret": SANDBOX_APP_SECRET, "auth_code": "vb"},
        )
        data = grant.json()["data"]
        yield Api(http, data["access_token"], data["advertiser_ids"][0])
    world.close()


async def _campaign(api: Api) -> str:
    created = await api.post(
        "/campaign/create/",
        {
            "campaign_name": "value",
            "objective_type": "WEB_CONVERSIONS",
            "budget_mode": "BUDGET_MODE_INFINITE",
        },
    )
    assert created["code"] == 0, created
    return str(created["data"]["campaign_id"])


def _adgroup(campaign_id: str, **bidding: Any) -> dict[str, Any]:
    return {
        "campaign_id": campaign_id,
        "adgroup_name": "value group",
        "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
        "location_ids": ["6252001"],
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": 50,
        "schedule_type": "SCHEDULE_FROM_NOW",
        "schedule_start_time": START.strftime("%Y-%m-%d %H:%M:%S"),
        "billing_event": "OCPM",
        "pacing": "PACING_MODE_SMOOTH",
        **bidding,
    }


VALID = {
    "min-roas": {
        "optimization_goal": "VALUE",
        "bid_type": "BID_TYPE_NO_BID",
        "deep_bid_type": "VO_MIN_ROAS",
        "roas_bid": 2.5,
    },
    "highest-value": {
        "optimization_goal": "VALUE",
        "bid_type": "BID_TYPE_NO_BID",
        "deep_bid_type": "VO_HIGHEST_VALUE",
    },
}
INVALID = {
    "roas-without-target": ({**VALID["min-roas"], "roas_bid": None}, "roas_bid"),
    "roas-out-of-range": ({**VALID["min-roas"], "roas_bid": 1001}, "roas_bid"),
    "value-with-custom-bid": (
        {**VALID["min-roas"], "bid_type": "BID_TYPE_CUSTOM", "conversion_bid_price": 9},
        "bid_type",
    ),
    "value-without-deep-bid": ({"optimization_goal": "VALUE"}, "deep_bid_type"),
    "roas-on-a-conversion-goal": (
        {"optimization_goal": "CONVERT", "deep_bid_type": "VO_MIN_ROAS", "roas_bid": 2},
        "roas_bid",
    ),
}


@pytest.mark.parametrize("name", sorted(VALID))
async def test_value_ad_groups_are_created(api: Api, name: str) -> None:
    created = await api.post("/adgroup/create/", _adgroup(await _campaign(api), **VALID[name]))
    assert created["code"] == 0, created


@pytest.mark.parametrize("name", sorted(INVALID))
async def test_broken_value_bidding_is_refused_naming_the_field(api: Api, name: str) -> None:
    bidding, field = INVALID[name]
    body = {k: v for k, v in _adgroup(await _campaign(api), **bidding).items() if v is not None}
    refused = await api.post("/adgroup/create/", body)
    assert refused["code"] == 40002 and refused["message"].startswith(f"{field}:"), refused
    listed = await api.http.get(
        f"{API}/adgroup/get/",
        params={"advertiser_id": api.advertiser},
        headers={"Access-Token": api.token},
    )
    assert listed.json()["data"]["list"] == []  # nothing was created


def test_the_adapter_sends_a_roas_target_as_value_bidding() -> None:
    sent = adgroup_bidding(OptimizationGoal.CONVERSIONS, BidStrategy.TARGET_ROAS, Decimal("1.8"))
    assert sent == {
        "optimization_goal": "VALUE",
        "billing_event": "OCPM",
        "bid_type": "BID_TYPE_NO_BID",
        "deep_bid_type": "VO_MIN_ROAS",
        "roas_bid": 1.8,
    }
    most = adgroup_bidding(OptimizationGoal.VALUE, BidStrategy.MAX_CONVERSION_VALUE, None)
    assert most["deep_bid_type"] == "VO_HIGHEST_VALUE" and "roas_bid" not in most
    capped = adgroup_bidding(OptimizationGoal.CONVERSIONS, BidStrategy.TARGET_COST, Decimal("12"))
    assert capped["bid_type"] == "BID_TYPE_CUSTOM" and capped["conversion_bid_price"] == 12.0
