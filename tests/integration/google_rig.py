"""A raw-HTTP handle on the Google Ads sandbox, shared by the Google tests."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google.api import create_google_app
from roasloop.sandbox.google.protocol import PAGE_SIZE, SANDBOX_DEVELOPER_TOKEN
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
VERSION = "v25"
EU = "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"
JSON = dict[str, Any]


@dataclass
class GoogleSandbox:
    """A world, its app and a client holding one customer's access token."""

    world: SandboxWorld
    clock: SimulatedClock
    client: httpx.AsyncClient
    customer_id: str
    headers: dict[str, str]

    def path(self, method: str) -> str:
        return f"/{VERSION}/customers/{self.customer_id}/{method}"

    def name(self, collection: str, key: str | int) -> str:
        return f"customers/{self.customer_id}/{collection}/{key}"

    async def post(self, method: str, body: JSON, **headers: str) -> httpx.Response:
        return await self.client.post(self.path(method), json=body, headers=self.headers | headers)

    async def search(self, query: str, **extra: Any) -> JSON:
        response = await self.post("googleAds:search", {"query": query, **extra})
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def mutate(self, collection: str, operations: list[JSON], **extra: Any) -> httpx.Response:
        return await self.post(f"{collection}:mutate", {"operations": operations, **extra})

    async def token(self, code: str) -> JSON:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": SANDBOX_APP_ID,
            "client_secret": SANDBOX_APP_SECRET,
        }
        response = await self.client.post("/token", data=form)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def structure(self, budget_micros: str = "50000000", status: str = "ENABLED") -> JSON:
        """Budget, Demand Gen campaign (US), ad group (no 65+) and one ad, in one request."""
        image = base64.b64encode(b"image bytes").decode()
        operations = [
            op("campaignBudget", {"resourceName": self.name("campaignBudgets", -1), "name": "b",
                "amountMicros": budget_micros, "explicitlyShared": False}),
            op("campaign", {"resourceName": self.name("campaigns", -2), "name": "c",
                "status": status, "advertisingChannelType": "DEMAND_GEN",
                "campaignBudget": self.name("campaignBudgets", -1),
                "maximizeConversions": {}, "containsEuPoliticalAdvertising": EU}),
            op("campaignCriterion", {"campaign": self.name("campaigns", -2),
                "location": {"geoTargetConstant": "geoTargetConstants/2840"}}),
            op("adGroup", {"resourceName": self.name("adGroups", -3), "name": "ag",
                "campaign": self.name("campaigns", -2), "status": "ENABLED"}),
            op("adGroupCriterion", {"adGroup": self.name("adGroups", -3), "negative": True,
                "ageRange": {"type": "AGE_RANGE_65_UP"}}),
            op("asset", {"resourceName": self.name("assets", -4), "name": "cr0 [rl:m]",
                "imageAsset": {"data": image}}),
            op("adGroupAd", {"adGroup": self.name("adGroups", -3), "status": "ENABLED",
                "ad": demand_gen_ad(self.name("assets", -4))}),
        ]  # fmt: skip
        response = await self.post("googleAds:mutate", {"mutateOperations": operations})
        assert response.status_code == 200, response.text
        results = response.json()["mutateOperationResponses"]
        return {next(iter(r)): next(iter(r.values()))["resourceName"] for r in results}


def op(resource: str, create: JSON) -> JSON:
    """One ``googleAds:mutate`` operation creating ``resource``."""
    return {f"{resource}Operation": {"create": create}}


def demand_gen_ad(asset: str, headline: str = "Glow serum", name: str = "ad [rl:k]") -> JSON:
    return {
        "name": name,
        "finalUrls": ["https://shop.example.com/glow"],
        "demandGenMultiAssetAd": {
            "marketingImages": [{"asset": asset}],
            "headlines": [{"text": headline}],
            "descriptions": [{"text": "Vitamin C serum for glowing skin"}],
            "businessName": "shop.example.com",
        },
    }


async def open_sandbox(
    database: str | Path = ":memory:", *, page_size: int = PAGE_SIZE, code: str = "code-1"
) -> GoogleSandbox:
    clock = SimulatedClock(START)
    world = SandboxWorld(database, clock, Scenario.default("google"), seed=5)
    app = create_google_app(world, page_size=page_size)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://google")
    sandbox = GoogleSandbox(world, clock, client, "", {})
    token = (await sandbox.token(code))["access_token"]
    sandbox.headers = {
        "Authorization": f"Bearer {token}",
        "developer-token": SANDBOX_DEVELOPER_TOKEN,
    }
    listed = await client.get(
        f"/{VERSION}/customers:listAccessibleCustomers", headers=sandbox.headers
    )
    sandbox.customer_id = listed.json()["resourceNames"][0].split("/")[1]
    return sandbox


def failure(response: httpx.Response) -> JSON:
    """The first GoogleAdsError of an error response."""
    detail = response.json()["error"]["details"][0]
    assert detail["@type"].endswith(f"{VERSION}.errors.GoogleAdsFailure")
    return dict(detail["errors"][0])


def path_of(error: JSON) -> list[str]:
    return [e["fieldName"] for e in error["location"]["fieldPathElements"]]


async def create_budget(sandbox: GoogleSandbox, **fields: Any) -> httpx.Response:
    create = {"name": "b1", "amountMicros": "10000000", "explicitlyShared": False, **fields}
    return await sandbox.mutate("campaignBudgets", [{"create": create}])
