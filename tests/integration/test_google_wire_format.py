"""Wire format: raw requests as in Google's REST docs, response shapes checked field by field.

There is no Python REST client for Google Ads (the official library is gRPC-only), so these
requests are written the way https://developers.google.com/google-ads/api/rest/examples and
https://developers.google.com/google-ads/api/rest/common/{mutate,search} show them: camelCase
bodies (the transcoder also takes proto names such as ``target_spend``), int64 as numbers or
strings, ``updateMask`` strings, ``pageToken`` paging and the documented headers.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from roasloop.sandbox.world import FaultConfig
from tests.integration.google_rig import VERSION, GoogleSandbox, open_sandbox

NAME = re.compile(r"^customers/\d+/(\w+)/\d+(~\d+)?$")
#: Required on campaign create in current versions; the older doc examples predate it.
EU = {"containsEuPoliticalAdvertising": "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"}


@pytest.fixture
async def api() -> AsyncIterator[GoogleSandbox]:
    sandbox = await open_sandbox(page_size=2)
    # Every example sends the manager account as login-customer-id.
    sandbox.headers |= {
        "login-customer-id": sandbox.customer_id,
        "Content-Type": "application/json",
    }
    yield sandbox
    await sandbox.client.aclose()
    sandbox.world.close()


def only_resource_names(body: dict[str, Any], collection: str, count: int) -> list[str]:
    assert set(body) == {"results"}
    names = [result["resourceName"] for result in body["results"]]
    assert all(set(result) == {"resourceName"} for result in body["results"])
    assert len(names) == count
    for name in names:
        match = NAME.match(name)
        assert match is not None and match.group(1) == collection
    return names


async def create_budget(api: GoogleSandbox, name: str = "My Campaign Budget #1") -> str:
    # examples → "Mutates - Creates → Campaign budget": amountMicros as a JSON number.
    body = {"operations": [{"create": {"name": name, "amountMicros": 500000}}]}
    response = await api.post("campaignBudgets:mutate", body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["request-id"]
    return only_resource_names(response.json(), "campaignBudgets", 1)[0]


async def create_search_campaign(api: GoogleSandbox, budget: str, name: str) -> str:
    # examples → "Mutates - Creates → Campaign".
    create = {
        "status": "PAUSED",
        "advertisingChannelType": "SEARCH",
        "geoTargetTypeSetting": {
            "positiveGeoTargetType": "PRESENCE_OR_INTEREST",
            "negativeGeoTargetType": "PRESENCE",
        },
        "name": name,
        "campaignBudget": budget,
        "targetSpend": {},
        **EU,
    }
    response = await api.post("campaigns:mutate", {"operations": [{"create": create}]})
    assert response.status_code == 200, response.text
    return only_resource_names(response.json(), "campaigns", 1)[0]


async def test_list_accessible_customers(api: GoogleSandbox) -> None:
    response = await api.client.get(
        f"/{VERSION}/customers:listAccessibleCustomers", headers=api.headers
    )
    assert response.status_code == 200
    assert response.json() == {"resourceNames": [f"customers/{api.customer_id}"]}


async def test_oauth_token_response_fields(api: GoogleSandbox) -> None:
    body = await api.token("another-code")
    assert set(body) == {"access_token", "expires_in", "token_type", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer" and isinstance(body["expires_in"], int)
    assert body["scope"] == "https://www.googleapis.com/auth/adwords"


async def test_create_update_remove_as_in_the_mutate_guide(api: GoogleSandbox) -> None:
    budget = await create_budget(api)
    # rest/common/mutate → Create: networkSettings and a proto-named "target_spend".
    create = {
        "name": "An example campaign",
        "status": "PAUSED",
        "campaignBudget": await create_budget(api, "second budget"),
        "advertisingChannelType": "SEARCH",
        "networkSettings": {
            "targetGoogleSearch": True,
            "targetSearchNetwork": True,
            "targetContentNetwork": True,
            "targetPartnerSearchNetwork": False,
        },
        "target_spend": {},
        **EU,
    }
    response = await api.post("campaigns:mutate", {"operations": [{"create": create}]})
    campaign = only_resource_names(response.json(), "campaigns", 1)[0]
    other = await create_search_campaign(api, budget, "My Search campaign #1")

    # rest/common/mutate → Update: only the masked field changes.
    update = {
        "update": {"resourceName": campaign, "name": "A changed campaign name"},
        "updateMask": "name",
    }
    response = await api.post("campaigns:mutate", {"operations": [update]})
    assert only_resource_names(response.json(), "campaigns", 1) == [campaign]
    # Several operations in one request (the guide's "pausing some campaigns" workflow).
    enable = [
        {"updateMask": "status", "update": {"resourceName": name, "status": "ENABLED"}}
        for name in (campaign, other)
    ]
    response = await api.post("campaigns:mutate", {"operations": enable})
    assert only_resource_names(response.json(), "campaigns", 2) == [campaign, other]
    # The budget update as posted on the API forum: mask in proto (snake) case, int64 string.
    budget_update = {
        "updateMask": "amount_micros",
        "update": {"resourceName": budget, "amountMicros": "700000000"},
    }
    response = await api.post("campaignBudgets:mutate", {"operations": [budget_update]})
    assert only_resource_names(response.json(), "campaignBudgets", 1) == [budget]

    rows = (await api.search(
        "SELECT campaign.name, campaign.status, campaign.network_settings.target_google_search, "
        "campaign.bidding_strategy_type, campaign_budget.amount_micros FROM campaign "
        "ORDER BY campaign.name"
    ))["results"]  # fmt: skip
    assert rows[0]["campaign"] == {
        "resourceName": campaign,
        "name": "A changed campaign name",
        "status": "ENABLED",
        "networkSettings": {"targetGoogleSearch": True},
        "biddingStrategyType": "TARGET_SPEND",
    }
    assert rows[1]["campaignBudget"] == {"resourceName": budget, "amountMicros": "700000000"}

    # rest/common/mutate → Remove: the resource name as a plain string.
    response = await api.post("campaigns:mutate", {"operations": [{"remove": campaign}]})
    assert only_resource_names(response.json(), "campaigns", 1) == [campaign]


async def test_search_paging_and_row_shape(api: GoogleSandbox) -> None:
    for index in range(3):
        await create_search_campaign(api, await create_budget(api, f"b{index}"), f"Search #{index}")
    # examples → "Search → Paginated" (pageSize is no longer accepted; pages are fixed).
    query = (
        "SELECT campaign.name, campaign_budget.amount_micros, campaign.status, "
        "campaign.optimization_score, campaign.advertising_channel_type, metrics.clicks, "
        "metrics.impressions, metrics.ctr, metrics.average_cpc, metrics.cost_micros, "
        "campaign.bidding_strategy_type FROM campaign WHERE segments.date DURING LAST_7_DAYS "
        "AND campaign.status != 'REMOVED'"
    )
    first = await api.search(query)
    assert set(first) == {"results", "nextPageToken", "fieldMask", "requestId"}
    assert first["fieldMask"] == (
        "campaign.name,campaignBudget.amountMicros,campaign.status,campaign.optimizationScore,"
        "campaign.advertisingChannelType,metrics.clicks,metrics.impressions,metrics.ctr,"
        "metrics.averageCpc,metrics.costMicros,campaign.biddingStrategyType"
    )
    row = first["results"][0]
    assert set(row) == {"campaign", "campaignBudget", "metrics"}
    assert set(row["campaign"]) == {
        "resourceName", "name", "status", "advertisingChannelType", "biddingStrategyType",
    }  # fmt: skip
    assert row["campaignBudget"] == {
        "resourceName": row["campaignBudget"]["resourceName"],
        "amountMicros": "500000",
    }
    assert row["metrics"] == {
        "clicks": "0",
        "impressions": "0",
        "ctr": 0.0,
        "averageCpc": 0.0,
        "costMicros": "0",
    }
    second = await api.search(query, pageToken=first["nextPageToken"])
    assert "nextPageToken" not in second and len(first["results"]) + len(second["results"]) == 3


async def test_search_stream_is_a_json_array_of_batches(api: GoogleSandbox) -> None:
    await create_search_campaign(api, await create_budget(api), "Search #1")
    response = await api.post(
        "googleAds:searchStream", {"query": "SELECT campaign.id, campaign.name FROM campaign"}
    )
    batches = response.json()
    assert isinstance(batches, list) and len(batches) == 1
    assert set(batches[0]) == {"results", "fieldMask", "requestId"}
    campaign = batches[0]["results"][0]["campaign"]
    assert set(campaign) == {"resourceName", "id", "name"} and campaign["id"].isdigit()


async def test_demand_gen_metrics_rows(api: GoogleSandbox) -> None:
    await api.structure()
    api.clock.advance(timedelta(days=2))
    api.headers["Authorization"] = f"Bearer {(await api.token('code-1'))['access_token']}"
    # The reference's report query (shared/reference §3.3) at ad level.
    page = await api.search(
        "SELECT campaign.id, campaign.name, segments.date, metrics.impressions, metrics.clicks, "
        "metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM ad_group_ad "
        "WHERE segments.date BETWEEN '2026-03-01' AND '2026-03-31'"
    )
    row = page["results"][0]
    assert set(row) == {"campaign", "segments", "metrics"}
    assert set(row["campaign"]) == {"resourceName", "id", "name"}
    assert row["segments"] == {"date": "2026-03-02"}
    assert set(row["metrics"]) == {
        "impressions",
        "clicks",
        "costMicros",
        "conversions",
        "conversionsValue",
    }
    assert [type(row["metrics"][k]) for k in ("impressions", "costMicros", "conversions")] == [
        str,
        str,
        float,
    ]


async def test_error_bodies_match_the_reference_shape(api: GoogleSandbox) -> None:
    api.world.set_faults(FaultConfig(rate_limit=1.0))
    response = await api.post("googleAds:search", {"query": "SELECT campaign.id FROM campaign"})
    body = response.json()
    assert response.status_code == 429
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status", "details"}
    assert (body["error"]["code"], body["error"]["status"]) == (429, "RESOURCE_EXHAUSTED")
    (detail,) = body["error"]["details"]
    assert (
        detail["@type"]
        == f"type.googleapis.com/google.ads.googleads.{VERSION}.errors.GoogleAdsFailure"
    )
    assert set(detail) == {"@type", "errors", "requestId"}
    (error,) = detail["errors"]
    assert error["errorCode"] == {"quotaError": "RESOURCE_EXHAUSTED"}
    assert set(error["details"]["quotaErrorDetails"]) == {"rateScope", "rateName", "retryDelay"}
    assert re.fullmatch(r"\d+s", error["details"]["quotaErrorDetails"]["retryDelay"])
