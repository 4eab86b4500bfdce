"""The Google Ads sandbox over HTTP: validation, errors, paging, faults and delivery.

Also home of :class:`GoogleSandbox`, the raw-HTTP handle the other Google tests use.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google_api import create_google_app
from roasloop.sandbox.google_wire import PAGE_SIZE, SANDBOX_DEVELOPER_TOKEN, kind
from roasloop.sandbox.scenario import Scenario
from roasloop.sandbox.world import FaultConfig, SandboxWorld

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
            _op("campaignBudget", {"resourceName": self.name("campaignBudgets", -1), "name": "b",
                "amountMicros": budget_micros, "explicitlyShared": False}),
            _op("campaign", {"resourceName": self.name("campaigns", -2), "name": "c",
                "status": status, "advertisingChannelType": "DEMAND_GEN",
                "campaignBudget": self.name("campaignBudgets", -1),
                "maximizeConversions": {}, "containsEuPoliticalAdvertising": EU}),
            _op("campaignCriterion", {"campaign": self.name("campaigns", -2),
                "location": {"geoTargetConstant": "geoTargetConstants/2840"}}),
            _op("adGroup", {"resourceName": self.name("adGroups", -3), "name": "ag",
                "campaign": self.name("campaigns", -2), "status": "ENABLED"}),
            _op("adGroupCriterion", {"adGroup": self.name("adGroups", -3), "negative": True,
                "ageRange": {"type": "AGE_RANGE_65_UP"}}),
            _op("asset", {"resourceName": self.name("assets", -4), "name": "cr0 [rl:m]",
                "imageAsset": {"data": image}}),
            _op("adGroupAd", {"adGroup": self.name("adGroups", -3), "status": "ENABLED",
                "ad": demand_gen_ad(self.name("assets", -4))}),
        ]  # fmt: skip
        response = await self.post("googleAds:mutate", {"mutateOperations": operations})
        assert response.status_code == 200, response.text
        results = response.json()["mutateOperationResponses"]
        return {next(iter(r)): next(iter(r.values()))["resourceName"] for r in results}


def _op(resource: str, create: JSON) -> JSON:
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


@pytest.fixture
async def sandbox() -> AsyncIterator[GoogleSandbox]:
    opened = await open_sandbox()
    yield opened
    await opened.client.aclose()
    opened.world.close()


def failure(response: httpx.Response) -> JSON:
    """The first GoogleAdsError of an error response."""
    detail = response.json()["error"]["details"][0]
    assert detail["@type"].endswith(f"{VERSION}.errors.GoogleAdsFailure")
    return dict(detail["errors"][0])


def path_of(error: JSON) -> list[str]:
    return [e["fieldName"] for e in error["location"]["fieldPathElements"]]


async def _budget(sandbox: GoogleSandbox, **fields: Any) -> httpx.Response:
    create = {"name": "b1", "amountMicros": "10000000", "explicitlyShared": False, **fields}
    return await sandbox.mutate("campaignBudgets", [{"create": create}])


# --- validation ----------------------------------------------------------------------------
async def test_campaign_without_eu_political_flag_names_the_field(sandbox: GoogleSandbox) -> None:
    budget = (await _budget(sandbox)).json()["results"][0]["resourceName"]
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "campaignBudget": budget,
              "maximizeConversions": {}}  # fmt: skip
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert response.status_code == 400
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (400, "INVALID_ARGUMENT")
    error = failure(response)
    assert error["errorCode"] == {"fieldError": "REQUIRED"}
    assert error["location"]["fieldPathElements"] == [
        {"fieldName": "operations", "index": 0},
        {"fieldName": "create"},
        {"fieldName": "contains_eu_political_advertising"},
    ]


async def test_bad_enum_is_rejected_by_the_rest_front_end(sandbox: GoogleSandbox) -> None:
    create = {"name": "c", "advertisingChannelType": "TIKTOK", "containsEuPoliticalAdvertising": EU}
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert response.status_code == 400
    detail = response.json()["error"]["details"][0]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    violation = detail["fieldViolations"][0]
    assert violation["field"] == "operations[0].create.advertising_channel_type"
    assert "AdvertisingChannelTypeEnum.AdvertisingChannelType" in violation["description"]
    unknown = await sandbox.mutate("campaigns", [{"create": {"nmae": "typo"}}])
    assert 'Unknown name "nmae"' in unknown.json()["error"]["message"]


async def test_money_must_be_whole_cents_in_micros(sandbox: GoogleSandbox) -> None:
    response = await _budget(sandbox, amountMicros="1234567")
    error = failure(response)
    assert error["errorCode"] == {"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"}
    assert path_of(error)[-1] == "amount_micros"
    shared = (await _budget(sandbox, explicitlyShared=True, name="shared")).json()
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "maximizeConversions": {},
              "campaignBudget": shared["results"][0]["resourceName"],
              "containsEuPoliticalAdvertising": EU}  # fmt: skip
    response = await sandbox.mutate("campaigns", [{"create": create}])
    assert failure(response)["errorCode"] == {
        "campaignBudgetError": "CAMPAIGN_BUDGET_CANNOT_BE_SHARED"
    }


async def test_bidding_must_suit_the_channel(sandbox: GoogleSandbox) -> None:
    budget = (await _budget(sandbox)).json()["results"][0]["resourceName"]
    create = {"name": "c", "advertisingChannelType": "DEMAND_GEN", "campaignBudget": budget,
              "manualCpc": {}, "containsEuPoliticalAdvertising": EU}  # fmt: skip
    error = failure(await sandbox.mutate("campaigns", [{"create": create}]))
    assert error["errorCode"] == {
        "operationAccessDeniedError": "OPERATION_NOT_PERMITTED_FOR_CAMPAIGN_TYPE"
    }
    assert path_of(error)[-1] == "manual_cpc"


async def test_policy_finding_on_ad_text(sandbox: GoogleSandbox) -> None:
    names = await sandbox.structure()
    ad = demand_gen_ad(names["assetResult"], headline="A miracle cure for skin", name="x [rl:p]")
    response = await sandbox.mutate(
        "adGroupAds", [{"create": {"adGroup": names["adGroupResult"], "ad": ad}}]
    )
    error = failure(response)
    assert error["errorCode"] == {"policyFindingError": "POLICY_FINDING"}
    assert error["trigger"] == {"stringValue": "miracle cure"}
    assert error["details"]["policyFindingDetails"]["policyTopicEntries"][0]["type"] == "PROHIBITED"


# --- mutate semantics ------------------------------------------------------------------------
async def test_mixed_mutate_is_atomic(sandbox: GoogleSandbox) -> None:
    operations = [
        _op("campaignBudget", {"resourceName": sandbox.name("campaignBudgets", -1), "name": "b",
            "amountMicros": "5000000", "explicitlyShared": False}),
        _op("campaign", {"name": "c", "advertisingChannelType": "DEMAND_GEN",
            "campaignBudget": sandbox.name("campaignBudgets", -1), "maximizeConversions": {}}),
    ]  # fmt: skip
    response = await sandbox.post("googleAds:mutate", {"mutateOperations": operations})
    error = failure(response)
    assert path_of(error)[:3] == ["mutate_operations", "campaign_operation", "create"]
    assert error["location"]["fieldPathElements"][0] == {
        "fieldName": "mutate_operations",
        "index": 1,
    }
    found = await sandbox.search("SELECT campaign_budget.id FROM campaign_budget")
    assert found["results"] == []  # the budget of operation 0 was rolled back too


async def test_partial_failure_and_validate_only(sandbox: GoogleSandbox) -> None:
    good = {"create": {"name": "ok", "amountMicros": "1000000", "explicitlyShared": False}}
    bad = {"create": {"name": "bad", "amountMicros": "1000001"}}
    response = await sandbox.mutate("campaignBudgets", [good, bad], partialFailure=True)
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["resourceName"].startswith(sandbox.name("campaignBudgets", ""))
    assert body["results"][1] == {}
    partial = body["partialFailureError"]
    assert partial["code"] == 3
    error = partial["details"][0]["errors"][0]
    assert error["location"]["fieldPathElements"][0] == {"fieldName": "operations", "index": 1}
    create = {"create": {"name": "v", "amountMicros": "10000"}}
    checked = await sandbox.mutate("campaignBudgets", [create], validateOnly=True)
    assert checked.status_code == 200 and checked.json() == {}
    names = await sandbox.search("SELECT campaign_budget.name FROM campaign_budget")
    assert [r["campaignBudget"]["name"] for r in names["results"]] == ["ok"]


async def test_update_with_mask_immutable_fields_and_remove(sandbox: GoogleSandbox) -> None:
    names = await sandbox.structure()
    campaign = names["campaignResult"]
    update = {"update": {"resourceName": campaign, "status": "PAUSED", "name": "renamed"},
              "updateMask": "status"}  # fmt: skip
    response = await sandbox.mutate("campaigns", [update], responseContentType="MUTABLE_RESOURCE")
    result = response.json()["results"][0]
    assert result["resourceName"] == campaign
    assert (result["campaign"]["status"], result["campaign"]["name"]) == ("PAUSED", "c")
    missing = await sandbox.mutate("campaigns", [{"update": {"resourceName": campaign}}])
    assert failure(missing)["errorCode"] == {"fieldMaskError": "FIELD_MASK_MISSING"}
    immutable = {"update": {"resourceName": campaign, "advertisingChannelType": "SEARCH"},
                 "updateMask": "advertising_channel_type"}  # fmt: skip
    assert failure(await sandbox.mutate("campaigns", [immutable]))["errorCode"] == {
        "fieldError": "IMMUTABLE_FIELD"
    }
    assert (await sandbox.mutate("campaigns", [{"remove": campaign}])).status_code == 200
    rows = await sandbox.search(
        f"SELECT campaign.status FROM campaign WHERE campaign.resource_name = '{campaign}'"
    )
    assert rows["results"][0]["campaign"]["status"] == "REMOVED"
    again = await sandbox.mutate("campaigns", [{"remove": campaign}])
    assert failure(again)["errorCode"] == {
        "operationAccessDeniedError": "OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE"
    }


# --- auth ------------------------------------------------------------------------------------
async def test_developer_token_and_oauth_are_required(sandbox: GoogleSandbox) -> None:
    body = {"query": "SELECT campaign.id FROM campaign"}
    path = sandbox.path("googleAds:search")
    no_dev = await sandbox.client.post(
        path, json=body, headers={"Authorization": sandbox.headers["Authorization"]}
    )
    assert no_dev.status_code == 401
    assert failure(no_dev)["errorCode"] == {"authenticationError": "DEVELOPER_TOKEN_INVALID"}
    no_auth = await sandbox.client.post(
        path, json=body, headers={"developer-token": SANDBOX_DEVELOPER_TOKEN}
    )
    assert no_auth.status_code == 401 and "details" not in no_auth.json()["error"]
    bogus = await sandbox.client.post(
        path, json=body, headers=sandbox.headers | {"Authorization": "Bearer nope"}
    )
    assert failure(bogus)["errorCode"] == {"authenticationError": "OAUTH_TOKEN_INVALID"}
    sandbox.clock.advance(timedelta(hours=2))
    expired = await sandbox.post("googleAds:search", body)
    assert expired.status_code == 401
    assert failure(expired)["errorCode"] == {"authenticationError": "OAUTH_TOKEN_EXPIRED"}


async def test_other_customers_and_login_customer_id_are_refused(sandbox: GoogleSandbox) -> None:
    other_token = (await sandbox.token("someone-else"))["access_token"]
    other_headers = sandbox.headers | {"Authorization": f"Bearer {other_token}"}
    listed = await sandbox.client.get(
        f"/{VERSION}/customers:listAccessibleCustomers", headers=other_headers
    )
    other = listed.json()["resourceNames"][0].split("/")[1]
    assert other != sandbox.customer_id
    body = {"query": "SELECT campaign.id FROM campaign"}
    response = await sandbox.client.post(
        f"/{VERSION}/customers/{other}/googleAds:search", json=body, headers=sandbox.headers
    )
    assert response.status_code == 403
    assert failure(response)["errorCode"] == {"authorizationError": "USER_PERMISSION_DENIED"}
    ok = await sandbox.post("googleAds:search", body, **{"login-customer-id": sandbox.customer_id})
    assert ok.status_code == 200
    assert (
        await sandbox.post("googleAds:search", body, **{"login-customer-id": other})
    ).status_code == 403


async def test_token_endpoint_errors(sandbox: GoogleSandbox) -> None:
    form = {"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET}
    wrong = await sandbox.client.post(
        "/token", data={**form, "client_secret": "x", "grant_type": "refresh_token"}
    )
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    revoked = await sandbox.client.post(
        "/token", data={**form, "grant_type": "refresh_token", "refresh_token": "1//x"}
    )
    assert (revoked.status_code, revoked.json()["error"]) == (400, "invalid_grant")
    odd = await sandbox.client.post("/token", data={**form, "grant_type": "password"})
    assert odd.json()["error"] == "unsupported_grant_type"
    again = await sandbox.token("code-1")
    assert again["token_type"] == "Bearer" and again["expires_in"] == 3599
    refreshed = await sandbox.client.post(
        "/token",
        data={**form, "grant_type": "refresh_token", "refresh_token": again["refresh_token"]},
    )
    assert set(refreshed.json()) == {"access_token", "expires_in", "token_type", "scope"}


# --- search ----------------------------------------------------------------------------------
async def test_bad_gaql_is_a_query_error_naming_the_token(sandbox: GoogleSandbox) -> None:
    response = await sandbox.post(
        "googleAds:search", {"query": "SELECT campaign.id FROMM campaign"}
    )
    error = failure(response)
    assert error["errorCode"] == {"queryError": "EXPECTED_FROM"} and "FROMM" in error["message"]
    unknown = failure(
        await sandbox.post("googleAds:search", {"query": "SELECT campaign.colour FROM campaign"})
    )
    assert (
        unknown["errorCode"] == {"queryError": "UNRECOGNIZED_FIELD"}
        and "campaign.colour" in unknown["message"]
    )
    undated = failure(
        await sandbox.post("googleAds:search", {"query": "SELECT segments.date FROM campaign"})
    )
    assert undated["errorCode"] == {"queryError": "EXPECTED_FILTERS_ON_DATE_RANGE"}
    prohibited = failure(
        await sandbox.post("googleAds:search", {"query": "SELECT ad_group.id FROM campaign"})
    )
    assert prohibited["errorCode"] == {"queryError": "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE"}
    sized = failure(
        await sandbox.post(
            "googleAds:search", {"query": "SELECT campaign.id FROM campaign", "pageSize": 5}
        )
    )
    assert sized["errorCode"] == {"requestError": "PAGE_SIZE_NOT_SUPPORTED"}


async def test_paging_with_page_tokens() -> None:
    sandbox = await open_sandbox(page_size=2)
    try:
        creates = [{"create": {"name": f"b{i}", "amountMicros": "1000000"}} for i in range(5)]
        assert (await sandbox.mutate("campaignBudgets", creates)).status_code == 200
        query = (
            "SELECT campaign_budget.name FROM campaign_budget ORDER BY campaign_budget.name DESC"
        )
        names, token, pages = [], None, 0
        while True:
            page = await sandbox.search(
                query, **({"pageToken": token} if token else {}), returnTotalResultsCount=True
            )
            pages += 1
            assert page["totalResultsCount"] == "5"
            names += [r["campaignBudget"]["name"] for r in page["results"]]
            token = page.get("nextPageToken")
            if not token:
                break
        assert (names, pages) == (["b4", "b3", "b2", "b1", "b0"], 3)
        bad = await sandbox.post("googleAds:search", {"query": query, "pageToken": "garbage"})
        assert failure(bad)["errorCode"] == {"requestError": "INVALID_PAGE_TOKEN"}
    finally:
        await sandbox.client.aclose()
        sandbox.world.close()


async def test_rows_use_int64_strings_micros_and_doubles(sandbox: GoogleSandbox) -> None:
    await sandbox.structure()
    sandbox.clock.advance(timedelta(days=3))
    # The world's clock moved past the access token's hour: take a fresh one.
    sandbox.headers["Authorization"] = f"Bearer {(await sandbox.token('code-1'))['access_token']}"
    query = (
        "SELECT campaign.id, campaign_budget.amount_micros, ad_group_ad.ad.id, segments.date, "
        "metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, "
        "metrics.conversions_value FROM ad_group_ad "
        "WHERE segments.date BETWEEN '2026-03-01' AND '2026-03-31' ORDER BY segments.date"
    )
    page = await sandbox.search(query)
    rows = page["results"]
    assert [r["segments"]["date"] for r in rows] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    row = rows[0]
    assert isinstance(row["campaign"]["id"], str) and row["campaign"]["id"].isdigit()
    assert row["campaignBudget"]["amountMicros"] == "50000000"
    metrics = row["metrics"]
    assert all(isinstance(metrics[k], str) for k in ("impressions", "clicks", "costMicros"))
    assert int(metrics["costMicros"]) % 10_000 == 0 and int(metrics["impressions"]) > 0
    assert isinstance(metrics["conversions"], float) and isinstance(
        metrics["conversionsValue"], float
    )
    assert page["fieldMask"].startswith("campaign.id,campaignBudget.amountMicros,adGroupAd.ad.id")
    stream = await sandbox.post("googleAds:searchStream", {"query": query})
    assert stream.json()[0]["results"] == rows


# --- faults and delivery ---------------------------------------------------------------------
async def test_injected_faults_use_google_shapes(sandbox: GoogleSandbox) -> None:
    body = {"query": "SELECT campaign.id FROM campaign"}
    sandbox.world.set_faults(FaultConfig(rate_limit=1.0))
    limited = await sandbox.post("googleAds:search", body)
    assert limited.status_code == 429 and limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    error = failure(limited)
    assert error["errorCode"] == {"quotaError": "RESOURCE_EXHAUSTED"}
    assert error["details"]["quotaErrorDetails"]["retryDelay"] == "1s"
    sandbox.world.set_faults(FaultConfig(system_error=1.0))
    assert (await sandbox.post("googleAds:search", body)).status_code == 500
    sandbox.world.set_faults(FaultConfig(lost_response=1.0))
    lost = await _budget(sandbox)
    assert lost.status_code == 503
    sandbox.world.set_faults(FaultConfig())
    found = await sandbox.search("SELECT campaign_budget.name FROM campaign_budget")
    assert len(found["results"]) == 1  # the write happened; only its response was lost


async def test_delivery_follows_status_budget_and_age_exclusions(sandbox: GoogleSandbox) -> None:
    names = await sandbox.structure(budget_micros="40000000")
    ad_group_id = names["adGroupResult"].rsplit("/", 1)[1]
    market = sandbox.world.market
    assert market.daily_budget(ad_group_id) == 40
    campaign = sandbox.world.get(kind("campaigns"), names["campaignResult"].rsplit("/", 1)[1])
    assert campaign is not None and campaign["status"] == "ENABLED"
    update = {"update": {"resourceName": names["campaignBudgetResult"], "amountMicros": 25_000_000},
              "updateMask": "amount_micros"}  # fmt: skip
    assert (await sandbox.mutate("campaignBudgets", [update])).status_code == 200
    assert market.daily_budget(ad_group_id) == 25
    pause = {
        "update": {"resourceName": names["campaignResult"], "status": "PAUSED"},
        "updateMask": "status",
    }
    await sandbox.mutate("campaigns", [pause])
    sandbox.clock.advance(timedelta(days=2))
    sandbox.world.catch_up()
    assert market.adgroup_spend(ad_group_id, START.date()) == 0
    ads = market.ad_keys(ad_group_id)
    assert len(ads) == 1
    state = market.to_state()
    group = next(g for g in state["adgroups"] if g["key"] == ad_group_id)
    assert "65+" not in group["audience"]["age_buckets"] and group["audience"]["countries"] == [
        "US"
    ]


async def test_ids_are_derived_from_names_so_runs_repeat() -> None:
    first, second = await open_sandbox(), await open_sandbox()
    try:
        assert first.customer_id == second.customer_id
        assert await first.structure() == await second.structure()
    finally:
        for opened in (first, second):
            await opened.client.aclose()
            opened.world.close()


async def test_world_persists_and_reconciles(tmp_path: Path) -> None:
    first = await open_sandbox(tmp_path / "google.db")
    names = await first.structure()
    await first.client.aclose()
    first.world.close()
    reopened = SandboxWorld(tmp_path / "google.db", first.clock, Scenario.default("google"), seed=5)
    try:
        create_google_app(reopened)
        ad_group_id = names["adGroupResult"].rsplit("/", 1)[1]
        assert ad_group_id in reopened.market.adgroup_keys()
        assert reopened.get(kind("adGroups"), ad_group_id) is not None
    finally:
        reopened.close()
