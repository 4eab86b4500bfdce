"""A raw-HTTP handle on the Meta sandbox (Graph API), shared by the Meta sandbox tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.testclient import TestClient

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta.api import MetaSandboxConfig, create_meta_app
from roasloop.sandbox.world import SandboxWorld
from tests.fakes import FakeTime

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
V = "/v25.0"
TARGETING = {"geo_locations": {"countries": ["US"]}, "age_min": 25, "age_max": 44}


@dataclass
class Sandbox:
    client: TestClient
    world: SandboxWorld
    clock: SimulatedClock
    time: FakeTime
    token: str = ""
    account: str = ""
    ids: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(f"{V}/{path}", params={"access_token": self.token, **_form(params)})

    def post(self, path: str, **params: Any) -> httpx.Response:
        query = {"access_token": self.token}
        return self.client.post(f"{V}/{path}", params=query, data=_form(params))

    def ok(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    def error(self, response: httpx.Response) -> dict[str, Any]:
        assert response.status_code in (400, 500), response.text
        return dict(response.json()["error"])

    def login(self, code: str) -> None:
        grant = self.client.get(
            f"{V}/oauth/access_token",
            params={"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET, "code": code},
        ).json()
        self.token = grant["access_token"]
        self.account = self.ok(self.get("me/adaccounts"))["data"][0]["id"]
        self.ids["pixel"] = self.ok(self.get(f"{self.account}/adspixels"))["data"][0]["id"]
        self.ids["page"] = self.ok(self.get(f"{self.account}/promote_pages"))["data"][0]["id"]


def _form(params: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}


def build(tmp: Path, config: MetaSandboxConfig | None = None, code: str = "t") -> Sandbox:
    clock = SimulatedClock(START)
    time = FakeTime()
    world = SandboxWorld(tmp / "meta.db", clock, Scenario.default("meta"), seed=5)
    config = config or MetaSandboxConfig()
    config = MetaSandboxConfig(config.quota, time, config.token_lifetime)
    sandbox = Sandbox(TestClient(create_meta_app(world, config)), world, clock, time)
    sandbox.login(code)
    return sandbox


def campaign(sb: Sandbox, name: str = "c", **extra: Any) -> str:
    params = {"name": name, "objective": "OUTCOME_SALES", "special_ad_categories": []}
    return str(sb.ok(sb.post(f"{sb.account}/campaigns", **params | extra))["id"])


def adset_params(sb: Sandbox, campaign_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "s",
        "campaign_id": campaign_id,
        "daily_budget": 5000,
        "billing_event": "IMPRESSIONS",
        "optimization_goal": "OFFSITE_CONVERSIONS",
        "promoted_object": {"pixel_id": sb.ids["pixel"], "custom_event_type": "PURCHASE"},
        "targeting": TARGETING,
    } | extra


def adset(sb: Sandbox, campaign_id: str, **extra: Any) -> str:
    response = sb.post(f"{sb.account}/adsets", **adset_params(sb, campaign_id, **extra))
    return str(sb.ok(response)["id"])


def video(sb: Sandbox, title: str = "hero [rl:key1]") -> str:
    response = sb.client.post(
        f"{V}/{sb.account}/advideos",
        params={"access_token": sb.token},
        data={"name": title},
        files={"source": ("hero.mp4", b"bytes", "video/mp4")},
    )
    return str(sb.ok(response)["id"])


def ad(sb: Sandbox, adset_id: str, video_id: str, name: str = "a", **extra: Any) -> str:
    story = {
        "page_id": sb.ids["page"],
        "video_data": {
            "video_id": video_id,
            "image_url": "https://thumb.example.com/x.jpg",
            "message": "Buy",
            "call_to_action": {"type": "SHOP_NOW", "value": {"link": "https://shop.example.com"}},
        },
    }
    creative = sb.ok(sb.post(f"{sb.account}/adcreatives", name=name, object_story_spec=story))
    params = {"name": name, "adset_id": adset_id, "creative": {"creative_id": creative["id"]}}
    return str(sb.ok(sb.post(f"{sb.account}/ads", **params | extra))["id"])
