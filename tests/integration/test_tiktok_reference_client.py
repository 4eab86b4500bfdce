"""The official TikTok SDK (``tiktok-business-api-sdk-official``) against the sandbox on a port.

The SDK is TikTok's own reference client: if it can authorise, create a campaign, an ad
group, a video and an ad, and read a report from our sandbox, the sandbox speaks the
real wire format (paths, headers, envelope, JSON-string query parameters, multipart).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import business_api_client as bac
import pytest
from business_api_client.tiktok_business.tiktok_exceptions import TiktokSDKError

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.tiktok.api import create_tiktok_app
from roasloop.sandbox.world import SandboxWorld
from tests.integration.harness import START
from tests.integration.served import served as serve


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SimulatedClock]]:
    clock = SimulatedClock(START)
    world = SandboxWorld(tmp_path / "sandbox.db", clock, Scenario.default(), seed=3)
    with serve(create_tiktok_app(world)) as host:
        yield host, clock
    world.close()


def _client(host: str) -> bac.ApiClient:
    config = bac.Configuration()
    config.host = host
    return bac.ApiClient(config)


def test_official_sdk_creates_structure_and_reads_report(
    served: tuple[str, SimulatedClock], tmp_path: Path
) -> None:
    host, clock = served
    client = _client(host)
    grant = bac.AuthenticationApi(client).oauth2_access_token(
        body={"app_id": SANDBOX_APP_ID, "secret": SANDBOX_APP_SECRET, "auth_code": "sdk-test"}
    )["data"]
    token, advertiser = grant["access_token"], grant["advertiser_ids"][0]
    assert isinstance(advertiser, str)

    campaign = bac.CampaignCreationApi(client).campaign_create(
        token,
        body={
            "advertiser_id": advertiser,
            "campaign_name": "SDK campaign",
            "objective_type": "WEB_CONVERSIONS",
            "budget_mode": "BUDGET_MODE_INFINITE",
        },
    )["data"]
    adgroup = bac.AdgroupApi(client).adgroup_create(
        token, body=_adgroup_body(advertiser, campaign)
    )["data"]

    video_path = tmp_path / "hero-unboxing.mp4"
    video_path.write_bytes(b"sdk test video bytes")
    signature = hashlib.md5(video_path.read_bytes(), usedforsecurity=False).hexdigest()
    videos = bac.FileApi(client).ad_video_upload(
        token,
        advertiser_id=advertiser,
        upload_type="UPLOAD_BY_FILE",
        video_file=str(video_path),
        video_signature=signature,
        file_name="hero-unboxing",
    )["data"]
    ad = bac.AdApi(client).ad_create(
        token,
        body={
            "advertiser_id": advertiser,
            "adgroup_id": adgroup["adgroup_id"],
            "creatives": [
                {
                    "ad_name": "SDK ad",
                    "ad_format": "SINGLE_VIDEO",
                    "video_id": videos[0]["video_id"],
                    "ad_text": "Glow serum, shop now",
                    "call_to_action": "SHOP_NOW",
                    "landing_page_url": "https://shop.example.com/p",
                }
            ],
        },
    )["data"]
    assert len(ad["ad_ids"]) == 1

    clock.advance(timedelta(days=3))
    report = bac.ReportingApi(client).report_integrated_get(
        "BASIC",
        token,
        advertiser_id=advertiser,
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        metrics=[
            "spend",
            "impressions",
            "clicks",
            "conversion",
            "ctr",
            "cpm",
            "complete_payment_roas",
        ],
        start_date=START.date().isoformat(),
        end_date=(START.date() + timedelta(days=2)).isoformat(),
        page=1,
        page_size=100,
    )["data"]
    rows = report["list"]
    assert 1 <= len(rows) <= 3 and report["page_info"]["total_number"] == len(rows)
    for row in rows:
        assert row["dimensions"]["ad_id"] == ad["ad_ids"][0]
        assert all(isinstance(value, str) for value in row["metrics"].values())
        assert float(row["metrics"]["spend"]) > 0


def test_official_sdk_sees_platform_errors(served: tuple[str, SimulatedClock]) -> None:
    host, _ = served
    client = _client(host)
    with pytest.raises(TiktokSDKError) as caught:
        bac.CampaignCreationApi(client).campaign_create("not-a-token", body={"advertiser_id": "1"})
    assert "40105" in str(caught.value)
    token = bac.AuthenticationApi(client).oauth2_access_token(
        body={"app_id": SANDBOX_APP_ID, "secret": SANDBOX_APP_SECRET, "auth_code": "sdk-errors"}
    )["data"]
    advertiser = token["advertiser_ids"][0]
    with pytest.raises(TiktokSDKError) as missing:
        bac.CampaignCreationApi(client).campaign_create(
            token["access_token"], body={"advertiser_id": advertiser, "campaign_name": "x"}
        )
    assert "40002" in str(missing.value) and "objective_type" in str(missing.value)


def _adgroup_body(advertiser: str, campaign: dict[str, Any]) -> dict[str, Any]:
    return {
        "advertiser_id": advertiser,
        "campaign_id": campaign["campaign_id"],
        "adgroup_name": "SDK group",
        "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
        "location_ids": ["6252001"],
        "age_groups": ["AGE_25_34", "AGE_35_44"],
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": 50.0,
        "schedule_type": "SCHEDULE_FROM_NOW",
        "schedule_start_time": START.strftime("%Y-%m-%d %H:%M:%S"),
        "optimization_goal": "CONVERT",
        "billing_event": "OCPM",
        "bid_type": "BID_TYPE_NO_BID",
        "pacing": "PACING_MODE_SMOOTH",
        "promotion_type": "WEBSITE",
    }
