"""GoogleAdsAdapter against the in-process Google Ads sandbox, with failures on the wire."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from roasloop.bootstrap_sandbox import SANDBOXES
from roasloop.config import Settings
from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    LearningStatus,
    Objective,
    Platform,
)
from roasloop.domain.enums import OptimizationGoal as Goal
from roasloop.domain.models import AgeRange, PlatformAccount, Targeting
from roasloop.errors import (
    REAUTH_ACTION_URL,
    InvalidParameter,
    PolicyViolation,
    QuotaExceeded,
    RateLimited,
    TokenExpired,
)
from roasloop.platforms.google.driver import DRIVER
from roasloop.platforms.transport import PlatformCaller, RetryPolicy
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.platform import AdSetSpec, AdSpec, CampaignSpec, MediaSpec, PlatformAdapter
from roasloop.sandbox.google.protocol import kind
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import FaultConfig, SandboxWorld
from tests.integration.google_rig import START
from tests.integration.harness import ScriptedTransport

SANDBOX = SANDBOXES[Platform.GOOGLE]


@dataclass
class Env:
    world: SandboxWorld
    clock: SimulatedClock
    transport: ScriptedTransport
    http: httpx.AsyncClient
    adapter: PlatformAdapter
    caller: PlatformCaller
    settings: Settings
    media: Path
    sleeps: list[float] = field(default_factory=list)

    def docs(self, collection: str) -> list[dict[str, Any]]:
        return list(self.world.all(kind(collection)))

    def once(self, suffix: str, action: str | httpx.Response) -> None:
        """Interfere with the first request whose path ends with ``suffix``."""
        fired = {"done": False}

        def script(request: httpx.Request) -> str | httpx.Response | None:
            if request.url.path.endswith(suffix) and not fired["done"]:
                fired["done"] = True
                return action
            return None

        self.transport.script = script


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    clock = SimulatedClock(START)
    world = SandboxWorld(tmp_path / "google.db", clock, Scenario.default("google"), seed=11)
    transport = ScriptedTransport(httpx.ASGITransport(app=SANDBOX.app(world)))
    http = httpx.AsyncClient(transport=transport, base_url=SANDBOX.host)
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    caller = PlatformCaller("google", RetryPolicy(sleep=fake_sleep))
    settings = Settings(data_dir=tmp_path, enabled_platforms=[Platform.GOOGLE])
    grant = await DRIVER.exchange_code(http, settings, SANDBOX.credentials, "tenant:t1", caller)
    account = PlatformAccount(
        "t1", Platform.GOOGLE, grant.account_ids[0], grant.access_token, START
    )
    adapter = DRIVER.build_adapter(http, account, caller, settings, SANDBOX.credentials)
    media = tmp_path / "cr0.png"
    media.write_bytes(b"\x89PNG image bytes")
    yield Env(world, clock, transport, http, adapter, caller, settings, media, sleeps)
    await http.aclose()
    world.close()


def adset_spec(
    campaign_id: str, index: int = 0, budget: str = "30.00", ages: tuple = (18, 35)
) -> AdSetSpec:
    return AdSetSpec(
        client_key=f"k1s{index}",
        campaign_id=campaign_id,
        name=f"US {ages[0]}-{ages[1]}",
        daily_budget=Decimal(budget),
        targeting=Targeting(("US", "CA"), AgeRange(*ages)),
        optimization_goal=Goal.CONVERSIONS,
        bid_strategy=BidStrategy.LOWEST_COST,
        start_time=START,
        status=EntityStatus.ACTIVE,
    )


def ad_spec(
    adset_id: str, media_id: str, key: str = "k1s0a0", copy: str = "Glowing skin in 7 days"
) -> AdSpec:
    return AdSpec(
        key,
        adset_id,
        f"cr0 · {key}",
        media_id,
        copy,
        "https://shop.example.com/glow",
        EntityStatus.ACTIVE,
    )


async def build(env: Env, adsets: int = 2) -> tuple[str, list[str], list[str]]:
    media = await env.adapter.upload_media(MediaSpec("k1m", "cr0", "cr0", str(env.media)))
    campaign = await env.adapter.create_campaign(CampaignSpec("k1c", "Glow", Objective.SALES))
    ages = [(18, 35), (36, 50), (51, 65)]
    adset_ids, ad_ids = [], []
    for index in range(adsets):
        adset = await env.adapter.create_adset(adset_spec(campaign, index, ages=ages[index]))
        adset_ids.append(adset)
        ad_ids += await env.adapter.create_ads([ad_spec(adset, media, f"k1s{index}a0")])
    return campaign, adset_ids, ad_ids


def google_error(status: int, grpc: str, code: dict[str, str], **error: Any) -> httpx.Response:
    failure = {
        "@type": "type.googleapis.com/google.ads.googleads.v25.errors.GoogleAdsFailure",
        "errors": [{"errorCode": code, "message": "scripted", **error}],
        "requestId": "SCRIPTED",
    }
    body = {"error": {"code": status, "message": "scripted", "status": grpc, "details": [failure]}}
    return httpx.Response(status, json=body)


def quota(delay: str) -> httpx.Response:
    details = {"quotaErrorDetails": {"rateScope": "DEVELOPER", "retryDelay": delay}}
    return google_error(
        429, "RESOURCE_EXHAUSTED", {"quotaError": "RESOURCE_EXHAUSTED"}, details=details
    )


# --- structure ---------------------------------------------------------------------------------
async def test_structure_money_in_micros_and_the_campaign_tree(env: Env) -> None:
    campaign, adsets, ads = await build(env)
    budgets = [
        op["campaignBudgetOperation"]["create"]["amountMicros"]
        for body in env.transport.bodies("googleAds:mutate")
        for op in body["mutateOperations"]
        if "campaignBudgetOperation" in op
    ]
    assert budgets == ["1000000", "30000000", "30000000"]  # the lead's placeholder, then ad sets
    member = next(c for c in env.docs("campaigns") if "[rlg:" in c["name"])
    assert member["advertisingChannelType"] == "DEMAND_GEN" and "maximizeConversions" in member
    assert member["status"] == "PAUSED"  # follows the lead, which is created paused
    locations = {
        c["criterionId"]
        for c in env.docs("campaignCriteria")
        if c["campaign"] == member["resourceName"]
    }
    assert locations == {"2840", "2124"}
    exclusions = [c for c in env.docs("adGroupCriteria") if c["adGroup"].endswith(f"/{adsets[0]}")]
    assert all(c["negative"] for c in exclusions) and len(exclusions) == 5

    await env.adapter.set_status(EntityLevel.CAMPAIGN, [campaign], EntityStatus.ACTIVE)
    tree = await env.adapter.get_campaign_tree(campaign)
    assert (tree.campaign.object_id, tree.campaign.status) == (campaign, EntityStatus.ACTIVE)
    assert tree.campaign.name == "Glow [rl:k1c]"
    assert [a.object_id for a in tree.adsets] == adsets
    assert all(a.daily_budget == Decimal("30.00") and a.parent_id == campaign for a in tree.adsets)
    assert [a.object_id for a in tree.ads] == ads
    assert ads[0].startswith(f"{adsets[0]}~") and tree.ads[0].parent_id == adsets[0]
    assert all(ad.status is EntityStatus.ACTIVE for ad in tree.ads)


async def test_reports_come_back_in_major_units_per_ad_and_day(env: Env) -> None:
    campaign, adsets, ads = await build(env)
    await env.adapter.set_status(EntityLevel.CAMPAIGN, [campaign], EntityStatus.ACTIVE)
    env.clock.advance(timedelta(days=4))
    rows = await env.adapter.get_report(campaign, date(2026, 3, 1), date(2026, 3, 31))
    assert {r.ad_id for r in rows} == set(ads) and {r.adset_id for r in rows} == set(adsets)
    assert {r.day for r in rows} == {date(2026, 3, d) for d in (2, 3, 4, 5)}
    assert all(r.campaign_id == campaign for r in rows)
    for row in rows:
        assert row.metrics.spend == row.metrics.spend.quantize(Decimal("0.01")) > 0
        assert isinstance(row.metrics.conversions, int)
    truth = sum(env.world.market.adgroup_spend(a, date(2026, 3, 2)) for a in adsets)
    assert sum(r.metrics.spend for r in rows if r.day == date(2026, 3, 2)) == truth


async def test_learning_statuses_are_read_from_the_member_campaigns_in_one_search(
    env: Env,
) -> None:
    campaign, adsets, _ = await build(env)
    assert await env.adapter.get_learning_statuses(campaign) == {}  # paused: names no phase
    await env.adapter.set_status(EntityLevel.CAMPAIGN, [campaign], EntityStatus.ACTIVE)
    await env.adapter.set_status(EntityLevel.ADSET, adsets[1:], EntityStatus.PAUSED)
    before = len(env.transport.requests)
    statuses = await env.adapter.get_learning_statuses(campaign)
    assert statuses == {adsets[0]: LearningStatus.LEARNING}
    [sent] = env.transport.bodies("googleAds:search")[-1:]
    assert len(env.transport.requests) == before + 1
    assert "campaign.bidding_strategy_system_status FROM ad_group" in sent["query"]


async def test_update_budget_sets_the_member_campaign_budget(env: Env) -> None:
    campaign, adsets, _ = await build(env)
    await env.adapter.update_budget(adsets[1], Decimal("45.50"))
    sent = env.transport.bodies("campaignBudgets:mutate")[-1]["operations"][0]
    assert sent["updateMask"] == "amountMicros" and sent["update"]["amountMicros"] == "45500000"
    tree = await env.adapter.get_campaign_tree(campaign)
    assert [a.daily_budget for a in tree.adsets] == [Decimal("30.00"), Decimal("45.50")]
    assert env.world.market.daily_budget(adsets[1]) == Decimal("45.50")
    budget_id = sent["update"]["resourceName"].rsplit("/", 1)[1]
    budget = env.world.get(kind("campaignBudgets"), budget_id)
    assert budget is not None
    assert budget["_budgetHistory"] == ["45.50"]  # the sandbox's audit trail: applied once


async def test_find_by_client_key_and_status_changes(env: Env) -> None:
    campaign, adsets, ads = await build(env)
    adapter = env.adapter
    assert await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "k1c") == campaign
    assert await adapter.find_by_client_key(EntityLevel.ADSET, "k1s1", campaign) == adsets[1]
    assert await adapter.find_by_client_key(EntityLevel.AD, "k1s1a0", adsets[1]) == ads[1]
    assert await adapter.find_by_client_key(EntityLevel.AD, "k1s1a0", adsets[0]) is None
    await adapter.set_status(EntityLevel.AD, [ads[0]], EntityStatus.PAUSED)
    await adapter.set_status(EntityLevel.ADSET, [adsets[1]], EntityStatus.DELETED)
    tree = await adapter.get_campaign_tree(campaign)
    assert [a.object_id for a in tree.adsets] == [adsets[0]]
    assert [a.status for a in tree.ads] == [EntityStatus.PAUSED]
    assert await adapter.find_by_client_key(EntityLevel.ADSET, "k1s1", campaign) is None
    await adapter.set_status(EntityLevel.CAMPAIGN, [campaign], EntityStatus.DELETED)
    assert await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "k1c") is None
    assert all(c["status"] == "REMOVED" for c in env.docs("campaigns"))


# --- lost responses and retries ------------------------------------------------------------------
@pytest.mark.parametrize("step", ["assets:mutate", "googleAds:mutate", "adGroupAds:mutate"])
async def test_lost_create_responses_are_found_by_lookup_not_duplicated(
    env: Env, step: str
) -> None:
    env.once(step, "lose")
    await build(env, adsets=1)
    assert len(env.docs("assets")) == 1
    assert len(env.docs("campaigns")) == 2  # the lead and one member
    assert len(env.docs("adGroups")) == 1 and len(env.docs("adGroupAds")) == 1
    assert len(env.sleeps) == 1


async def test_lost_delete_response_is_harmless_on_retry(env: Env) -> None:
    campaign, _, _ = await build(env)
    env.once("campaigns:mutate", "lose")
    await env.adapter.set_status(EntityLevel.CAMPAIGN, [campaign], EntityStatus.DELETED)
    assert all(c["status"] == "REMOVED" for c in env.docs("campaigns"))


async def test_retry_delay_is_honoured(env: Env) -> None:
    env.once("googleAds:search", quota("7s"))
    await env.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nothing")
    assert env.sleeps == [7.0]


async def test_sandbox_rate_limit_fault_gives_up_after_three_attempts(env: Env) -> None:
    env.world.set_faults(FaultConfig(rate_limit=1.0))
    with pytest.raises(RateLimited) as caught:
        await env.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nothing")
    assert caught.value.details["attempts"] == 3 and env.sleeps == [1.0, 1.0]
    assert caught.value.details["platform_code"] == "quotaError.RESOURCE_EXHAUSTED"


async def test_daily_quota_is_not_retried(env: Env) -> None:
    env.once("googleAds:search", quota("43200s"))
    with pytest.raises(QuotaExceeded) as caught:
        await env.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nothing")
    assert caught.value.retry_after == 43200.0 and env.sleeps == []


async def test_server_errors_and_timeouts_are_retried(env: Env) -> None:
    env.once(
        "googleAds:search", google_error(503, "UNAVAILABLE", {"internalError": "TRANSIENT_ERROR"})
    )
    assert await env.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nothing") is None
    env.once("googleAds:search", "timeout")
    assert await env.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nothing") is None
    assert len(env.sleeps) == 2


# --- auth ---------------------------------------------------------------------------------------
async def test_expired_access_token_is_refreshed_transparently(env: Env) -> None:
    campaign, _, _ = await build(env, adsets=1)
    env.clock.advance(timedelta(hours=2))  # the sandbox's access tokens live an hour
    tree = await env.adapter.get_campaign_tree(campaign)
    assert tree.campaign.object_id == campaign
    grants = [
        dict(httpx.QueryParams(r.content.decode()))
        for r in env.transport.requests
        if r.url.path == "/token"
    ]
    assert [g["grant_type"] for g in grants] == [
        "authorization_code",
        "refresh_token",
        "refresh_token",
    ]
    assert env.sleeps == []


async def test_revoked_grant_asks_for_reauthorisation(env: Env) -> None:
    account = PlatformAccount("t1", Platform.GOOGLE, env.adapter.account_id, "1//revoked", START)
    adapter = DRIVER.build_adapter(env.http, account, env.caller, env.settings, SANDBOX.credentials)
    with pytest.raises(TokenExpired) as caught:
        await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "k")
    assert caught.value.details["action_url"] == REAUTH_ACTION_URL


# --- error mapping ------------------------------------------------------------------------------
async def test_platform_rejections_map_to_our_errors(env: Env) -> None:
    _, adsets, _ = await build(env, adsets=1)
    media = env.docs("assets")[0]["resourceName"]
    with pytest.raises(InvalidParameter) as caught:
        await env.adapter.update_budget(adsets[0], Decimal("0.00"))
    assert caught.value.field == "amount_micros"
    assert caught.value.details["platform_request_id"]
    with pytest.raises(InvalidParameter) as caught:
        await env.adapter.create_ads([ad_spec(adsets[0], media, "k2", copy="x" * 91)])
    assert caught.value.field == "ad.demand_gen_multi_asset_ad.descriptions[0].text"
    with pytest.raises(PolicyViolation):
        await env.adapter.create_ads([ad_spec(adsets[0], media, "k3", copy="A miracle cure")])
    with pytest.raises(InvalidParameter) as caught:
        await env.adapter.create_adset(adset_spec("999", 5))
    assert caught.value.field == "campaign_id"
    with pytest.raises(InvalidParameter) as caught:
        env.adapter.check_countries(["US", "ZZ"])
    assert caught.value.field == "target_countries[1]"
    with pytest.raises(InvalidParameter) as caught:
        await env.adapter.upload_media(MediaSpec("k9", "c", "c", "https://cdn.example.com/v.mp4"))
    assert caught.value.field == "media_url"
    assert len(env.docs("adGroupAds")) == 1  # nothing half-created
