"""The Google Ads sandbox over HTTP: search, paging, faults, delivery and persistence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from roasloop.sandbox.google.api import create_google_app
from roasloop.sandbox.google.protocol import kind
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import FaultConfig, SandboxWorld
from tests.integration.google_rig import (
    START,
    GoogleSandbox,
    create_budget,
    failure,
    open_sandbox,
)


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
    lost = await create_budget(sandbox)
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


async def test_bidding_strategy_system_status_follows_the_markets_learning(
    sandbox: GoogleSandbox,
) -> None:
    names = await sandbox.structure(budget_micros="40000000")
    ad_group_id = names["adGroupResult"].rsplit("/", 1)[1]
    query = "SELECT campaign.id, campaign.bidding_strategy_system_status FROM campaign"

    async def status() -> str:
        found = await sandbox.search(query)
        assert found["fieldMask"] == "campaign.id,campaign.biddingStrategySystemStatus"
        return str(found["results"][0]["campaign"]["biddingStrategySystemStatus"])

    async def advance(days: int) -> None:  # past the access token's hour: take a fresh one
        sandbox.clock.advance(timedelta(days=days))
        token = (await sandbox.token("code-1"))["access_token"]
        sandbox.headers["Authorization"] = f"Bearer {token}"

    assert await status() == "LEARNING_NEW"
    await advance(2)
    budget = {"update": {"resourceName": names["campaignBudgetResult"], "amountMicros": 80_000_000},
              "updateMask": "amount_micros"}  # fmt: skip
    assert (await sandbox.mutate("campaignBudgets", [budget])).status_code == 200
    assert await status() == "LEARNING_BUDGET_CHANGE"  # doubled: Google's 20 % threshold
    by_group = await sandbox.search(
        "SELECT ad_group.id, campaign.bidding_strategy_system_status FROM ad_group "
        "WHERE campaign.bidding_strategy_system_status = 'LEARNING_BUDGET_CHANGE'"
    )
    assert [r["adGroup"]["id"] for r in by_group["results"]] == [ad_group_id]
    await advance(20)
    settled = {"limited": "LIMITED_BY_DATA", "active": "ENABLED"}
    state = sandbox.world.market.learning_state(ad_group_id, sandbox.clock.today())
    assert await status() == settled[state]
    pause = {"update": {"resourceName": names["campaignResult"], "status": "PAUSED"},
             "updateMask": "status"}  # fmt: skip
    await sandbox.mutate("campaigns", [pause])
    assert await status() == "PAUSED"
    assert "biddingStrategySystemStatus" not in (await sandbox.search(
        "SELECT campaign.id, campaign.status FROM campaign"
    ))["results"][0]["campaign"]  # derived only when asked for, never stored


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
