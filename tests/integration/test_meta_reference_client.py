"""The official Meta SDK (``facebook-business``) against the Meta sandbox on a port.

The SDK is Meta's own reference client: if it can create a campaign, an ad set, a video
creative and an ad, page through an edge, run a batch and read insights from our sandbox,
the sandbox speaks the real wire format (versioned paths, token in the query, form fields
with JSON-encoded values, ``{"id"}`` / ``{"success"}`` answers, Graph error objects).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from facebook_business.api import FacebookAdsApi
from facebook_business.exceptions import FacebookRequestError
from facebook_business.session import FacebookSession

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta.api import create_meta_app
from roasloop.sandbox.world import SandboxWorld
from tests.integration.served import served as serve

API_VERSION = "v25.0"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SimulatedClock]]:
    clock = SimulatedClock(START)
    path = tmp_path_factory.mktemp("meta-sdk") / "sandbox.db"
    world = SandboxWorld(path, clock, Scenario.default("meta"), seed=3)
    with serve(create_meta_app(world)) as host:
        yield host, clock
    world.close()


@pytest.fixture
def sdk(served: tuple[str, SimulatedClock]) -> Iterator[tuple[FacebookAdsApi, str]]:
    """An SDK client pointed at the sandbox, with a token and ad account from OAuth."""
    host, _ = served
    grant = httpx.get(
        f"{host}/{API_VERSION}/oauth/access_token",
        params={"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET, "code": "sdk"},
    ).json()
    original = FacebookSession.GRAPH
    FacebookSession.GRAPH = host
    try:
        api = FacebookAdsApi.init(
            app_secret=SANDBOX_APP_SECRET,
            access_token=grant["access_token"],
            api_version=API_VERSION,
            crash_log=False,
        )
        accounts = httpx.get(
            f"{host}/{API_VERSION}/me/adaccounts", params={"access_token": grant["access_token"]}
        ).json()
        yield api, accounts["data"][0]["id"]
    finally:
        FacebookSession.GRAPH = original
        FacebookAdsApi.set_default_api(None)


def test_official_sdk_creates_structure_and_reads_insights(
    sdk: tuple[FacebookAdsApi, str], served: tuple[str, SimulatedClock], tmp_path: Path
) -> None:
    api, account_id = sdk
    account = AdAccount(account_id, api=api)
    pixel = account.get_ads_pixels(fields=["id"])[0]["id"]
    page = account.get_promote_pages(fields=["id"])[0]["id"]

    campaign = account.create_campaign(
        params={
            "name": "SDK campaign",
            "objective": Campaign.Objective.outcome_sales,
            "status": Campaign.Status.active,
            "special_ad_categories": [],
        }
    )
    adset = account.create_ad_set(params=_adset_params(campaign["id"], pixel))
    video_path = tmp_path / "hero-unboxing.mp4"
    video_path.write_bytes(b"sdk test video bytes")
    video = account.create_ad_video(params={"name": "hero-unboxing", "source": str(video_path)})
    thumbnail = api.call("GET", (video["id"],), params={"fields": "picture"}).json()["picture"]
    creative = account.create_ad_creative(params=_creative_params(page, video["id"], thumbnail))
    ad = account.create_ad(
        params={
            "name": "SDK ad",
            "adset_id": adset["id"],
            "creative": {"creative_id": creative["id"]},
            "status": "ACTIVE",
        }
    )
    AdSet(adset["id"], api=api).api_update(params={"daily_budget": 6000})
    read = AdSet(adset["id"], api=api).api_get(fields=["daily_budget", "effective_status"])
    assert read["daily_budget"] == "6000" and read["effective_status"] == "ACTIVE"

    _, clock = served
    clock.advance(timedelta(days=3))
    rows = list(
        Campaign(campaign["id"], api=api).get_insights(
            fields=["ad_id", "spend", "impressions", "clicks", "ctr", "cpm", "actions"],
            params={
                "level": "ad",
                "time_increment": 1,
                "time_range": {
                    "since": START.date().isoformat(),
                    "until": (START.date() + timedelta(days=2)).isoformat(),
                },
                "limit": 1,
            },
        )
    )
    assert 1 <= len(rows) <= 3  # the SDK pages with ``after`` one row at a time
    for row in rows:
        assert row["ad_id"] == ad["id"]
        assert all(isinstance(row[k], str) for k in ("spend", "impressions", "ctr", "cpm"))
        assert float(row["spend"]) > 0


def test_official_sdk_pages_edges_and_runs_batches(sdk: tuple[FacebookAdsApi, str]) -> None:
    api, account_id = sdk
    account = AdAccount(account_id, api=api)
    base = {"objective": "OUTCOME_TRAFFIC", "status": "PAUSED", "special_ad_categories": []}
    batch = api.new_batch()
    created: list[dict[str, Any]] = []
    for index in range(5):
        batch.add(
            "POST",
            f"{account_id}/campaigns",
            params={**base, "name": f"paged-{index}"},
            success=lambda response: created.append(response.json()),
        )
    assert batch.execute() is None  # None: every request of the batch was run
    assert len(created) == 5
    listed = account.get_campaigns(
        fields=["name"],
        params={
            "limit": 2,
            "filtering": [{"field": "name", "operator": "CONTAIN", "value": "paged-"}],
        },
    )
    assert sorted(c["name"] for c in listed) == [f"paged-{i}" for i in range(5)]
    assert listed.total() == 5


def test_official_sdk_sees_platform_errors(
    sdk: tuple[FacebookAdsApi, str], served: tuple[str, SimulatedClock]
) -> None:
    api, account_id = sdk
    account = AdAccount(account_id, api=api)
    with pytest.raises(FacebookRequestError) as missing:
        account.create_campaign(params={"name": "x", "objective": "OUTCOME_SALES"})
    assert missing.value.api_error_code() == 100
    assert missing.value.api_blame_field_specs() == [["special_ad_categories"]]
    assert missing.value.http_status() == 400

    host, _ = served
    original = FacebookSession.GRAPH
    FacebookSession.GRAPH = host
    try:
        stranger = FacebookAdsApi.init(
            access_token="not-a-token", api_version=API_VERSION, crash_log=False
        )
        with pytest.raises(FacebookRequestError) as bad_token:
            AdAccount(account_id, api=stranger).get_campaigns()
    finally:
        FacebookSession.GRAPH = original
    assert bad_token.value.api_error_code() == 190
    assert bad_token.value.api_error_subcode() == 467


def _adset_params(campaign_id: str, pixel_id: str) -> dict[str, Any]:
    return {
        "name": "SDK ad set",
        "campaign_id": campaign_id,
        "daily_budget": 5000,
        "billing_event": AdSet.BillingEvent.impressions,
        "optimization_goal": AdSet.OptimizationGoal.offsite_conversions,
        "bid_strategy": AdSet.BidStrategy.lowest_cost_without_cap,
        "promoted_object": {"pixel_id": pixel_id, "custom_event_type": "PURCHASE"},
        "targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 25, "age_max": 44},
        "status": AdSet.Status.active,
        "start_time": START.isoformat(),
    }


def _creative_params(page_id: str, video_id: str, thumbnail: str) -> dict[str, Any]:
    return {
        "name": "hero creative",
        "object_story_spec": {
            "page_id": page_id,
            "video_data": {
                "video_id": video_id,
                "image_url": thumbnail,
                "message": "Glow serum, shop now",
                "call_to_action": {
                    "type": "SHOP_NOW",
                    "value": {"link": "https://shop.example.com/p"},
                },
            },
        },
    }


def test_batch_body_is_json_string_per_item(sdk: tuple[FacebookAdsApi, str]) -> None:
    api, account_id = sdk
    response = api.call(
        "POST",
        (),
        params={"batch": [{"method": "GET", "relative_url": f"{account_id}?fields=currency"}]},
    )
    answer = response.json()[0]
    assert answer["code"] == 200 and json.loads(answer["body"])["currency"] == "USD"
