"""One contract, every platform: the same test bodies against each adapter and its sandbox.

Each adapter is built exactly as the composition root builds it (its driver, a real
``PlatformCaller``, the sandbox's app credentials) and talks HTTP to its own
wire-compatible sandbox. Amounts cross the
port as ``Decimal`` major units whatever the wire uses (minor units, micros).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from roasloop.bootstrap import DRIVERS
from roasloop.bootstrap_sandbox import SANDBOXES, SandboxPlatform, reported_learning
from roasloop.config import Settings
from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    Objective,
    OptimizationGoal,
)
from roasloop.domain.models import AgeRange, PlatformAccount, Targeting
from roasloop.errors import (
    AuthenticationFailed,
    InvalidParameter,
    NotFound,
    RoasloopError,
    TokenExpired,
)
from roasloop.platforms.driver import PlatformDriver
from roasloop.platforms.transport import PlatformCaller, RetryPolicy
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.platform import AdSetSpec, AdSpec, CampaignSpec, MediaSpec, PlatformAdapter
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class PlatformEnv:
    driver: PlatformDriver
    sandbox: SandboxPlatform
    adapter: PlatformAdapter
    world: SandboxWorld
    clock: SimulatedClock
    http: httpx.AsyncClient
    settings: Settings
    media_path: Path

    def adapter_with_token(self, token: str) -> PlatformAdapter:
        account = PlatformAccount("t1", self.driver.platform, self.adapter.account_id, token, START)
        caller = PlatformCaller(self.driver.platform.value, _no_wait_policy())
        app = self.sandbox.credentials
        return self.driver.build_adapter(self.http, account, caller, self.settings, app)


def _no_wait_policy() -> RetryPolicy:
    async def no_sleep(seconds: float) -> None:
        return None

    return RetryPolicy(sleep=no_sleep)


@pytest.fixture(params=sorted(DRIVERS, key=lambda p: p.value), ids=lambda p: p.value)
async def env(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PlatformEnv]:
    driver, sandbox = DRIVERS[request.param], SANDBOXES[request.param]
    settings = Settings(data_dir=tmp_path, enabled_platforms=[driver.platform])
    clock = SimulatedClock(START)
    world = SandboxWorld(
        tmp_path / "sandbox.db", clock, Scenario.default(driver.platform.value), seed=3
    )
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app(world)), base_url=sandbox.host
    )
    caller = PlatformCaller(driver.platform.value, _no_wait_policy())
    app = sandbox.credentials
    grant = await driver.exchange_code(http, settings, app, "contract", caller)
    account = PlatformAccount(
        "t1", driver.platform, grant.account_ids[0], grant.access_token, START
    )
    media = tmp_path / "hook.mp4"
    media.write_bytes(b"contract test media")
    adapter = driver.build_adapter(http, account, caller, settings, app)
    yield PlatformEnv(driver, sandbox, adapter, world, clock, http, settings, media)
    await http.aclose()
    world.close()


async def _structure(env: PlatformEnv, ads: int = 2) -> tuple[str, str, list[str]]:
    adapter = env.adapter
    campaign_id = await adapter.create_campaign(CampaignSpec("k1c", "Contract", Objective.SALES))
    adset_id = await adapter.create_adset(
        AdSetSpec(
            client_key="k1s0",
            campaign_id=campaign_id,
            name="US 18-35",
            daily_budget=Decimal("33.33"),
            targeting=Targeting(countries=("US", "CA"), age_range=AgeRange(18, 35)),
            optimization_goal=OptimizationGoal.CONVERSIONS,
            bid_strategy=BidStrategy.LOWEST_COST,
            start_time=START,
            status=EntityStatus.ACTIVE,
        )
    )
    media_id = await adapter.upload_media(MediaSpec("k1m", "hook", "hook", str(env.media_path)))
    specs = [
        AdSpec(
            f"k1s0a{i}",
            adset_id,
            f"hook {i}",
            media_id,
            "Stand tall. Shop now",
            "https://shop.example.com/p",
            EntityStatus.ACTIVE,
        )
        for i in range(ads)
    ]
    return campaign_id, adset_id, await adapter.create_ads(specs)


async def test_structure_is_created_and_read_back(env: PlatformEnv) -> None:
    campaign_id, adset_id, ad_ids = await _structure(env, ads=3)
    tree = await env.adapter.get_campaign_tree(campaign_id)
    assert tree.campaign.object_id == campaign_id and tree.campaign.status is EntityStatus.PAUSED
    assert [a.object_id for a in tree.adsets] == [adset_id]
    assert tree.adsets[0].daily_budget == Decimal("33.33")
    assert tree.adsets[0].status is EntityStatus.ACTIVE
    assert sorted(a.object_id for a in tree.ads) == sorted(ad_ids) and len(set(ad_ids)) == 3
    assert all(a.parent_id == adset_id for a in tree.ads)


async def test_client_keys_find_created_objects(env: PlatformEnv) -> None:
    campaign_id, adset_id, ad_ids = await _structure(env)
    adapter = env.adapter
    assert await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "k1c") == campaign_id
    assert await adapter.find_by_client_key(EntityLevel.ADSET, "k1s0", campaign_id) == adset_id
    assert await adapter.find_by_client_key(EntityLevel.AD, "k1s0a1", adset_id) == ad_ids[1]
    assert await adapter.find_by_client_key(EntityLevel.AD, "missing", adset_id) is None


async def test_status_changes_at_every_level(env: PlatformEnv) -> None:
    campaign_id, adset_id, ad_ids = await _structure(env)
    adapter = env.adapter
    await adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    await adapter.set_status(EntityLevel.ADSET, [adset_id], EntityStatus.PAUSED)
    await adapter.set_status(EntityLevel.AD, ad_ids[:1], EntityStatus.PAUSED)
    tree = await adapter.get_campaign_tree(campaign_id)
    assert tree.campaign.status is EntityStatus.ACTIVE
    assert tree.adsets[0].status is EntityStatus.PAUSED
    statuses = {ad.object_id: ad.status for ad in tree.ads}
    assert statuses[ad_ids[0]] is EntityStatus.PAUSED and statuses[ad_ids[1]] is EntityStatus.ACTIVE


async def test_budget_updates_round_trip_in_major_units(env: PlatformEnv) -> None:
    campaign_id, adset_id, _ = await _structure(env)
    await env.adapter.update_budget(adset_id, Decimal("41.07"))
    tree = await env.adapter.get_campaign_tree(campaign_id)
    assert tree.adsets[0].daily_budget == Decimal("41.07")


async def test_reports_are_daily_ad_rows_with_decimal_money(env: PlatformEnv) -> None:
    campaign_id, adset_id, ad_ids = await _structure(env)
    await env.adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    env.clock.advance(timedelta(days=4))
    rows = await env.adapter.get_report(campaign_id, START.date(), START.date() + timedelta(days=3))
    assert rows and {r.ad_id for r in rows} <= set(ad_ids)
    assert {r.day for r in rows} <= {START.date() + timedelta(days=i) for i in range(4)}
    for row in rows:
        assert row.campaign_id == campaign_id and row.adset_id == adset_id
        assert isinstance(row.metrics.spend, Decimal) and row.metrics.spend >= 0
        assert row.metrics.spend == row.metrics.spend.quantize(Decimal("0.01"))
        assert row.metrics.conversions <= row.metrics.clicks <= row.metrics.impressions
    total = sum(r.metrics.spend for r in rows)
    assert 0 < total <= Decimal("33.33") * 4 * 2  # within any platform's daily flex


async def test_invalid_input_is_rejected_with_the_field(env: PlatformEnv) -> None:
    with pytest.raises(InvalidParameter) as caught:
        env.adapter.check_countries(["US", "ZZ"])
    assert caught.value.field == "target_countries[1]"
    campaign_id, _, _ = await _structure(env)
    minimum = env.adapter.capabilities.min_adset_daily_budget
    targeting = Targeting(("US",), AgeRange(18, 35))
    goal, bidding = OptimizationGoal.CONVERSIONS, BidStrategy.LOWEST_COST
    if minimum > Decimal("0.01"):  # a platform minimum exists: below it is refused
        below = minimum - Decimal("0.01")
        with pytest.raises(InvalidParameter) as tiny:
            await env.adapter.create_adset(
                AdSetSpec("k2s0", campaign_id, "tiny", below, targeting, goal, bidding, START)
            )
        assert tiny.value.details["platform"] == env.driver.platform.value
        assert "platform_code" in tiny.value.details
    with pytest.raises((InvalidParameter, NotFound)) as orphan:
        await env.adapter.create_adset(
            AdSetSpec("k2s1", "999999999", "orphan", Decimal("50"), targeting, goal, bidding, START)
        )
    assert {"field", "platform_code"} & set(orphan.value.details)  # names what was wrong


async def test_bad_token_and_unknown_objects_map_to_our_errors(env: PlatformEnv) -> None:
    with pytest.raises((AuthenticationFailed, TokenExpired)) as auth:
        await env.adapter_with_token("not-a-token").get_campaign_tree("1")
    assert auth.value.code in {"1002", "6001"}
    with pytest.raises((InvalidParameter, NotFound)):
        await env.adapter.get_campaign_tree("999999999")


async def test_errors_carry_platform_facts_and_are_not_retried_when_permanent(
    env: PlatformEnv,
) -> None:
    with pytest.raises(RoasloopError) as caught:
        await env.adapter_with_token("not-a-token").create_campaign(
            CampaignSpec("k3c", "x", Objective.SALES)
        )
    details = caught.value.details
    assert details["attempts"] == 1
    assert {"platform", "platform_code"} <= set(details)


async def test_concurrent_creates_do_not_interfere(env: PlatformEnv) -> None:
    adapter = env.adapter
    specs = [CampaignSpec(f"k4c{i}", f"C{i}", Objective.TRAFFIC) for i in range(6)]
    ids = await asyncio.gather(*(adapter.create_campaign(s) for s in specs))
    assert len(set(ids)) == 6
    for spec, campaign_id in zip(specs, ids, strict=True):
        assert (
            await adapter.find_by_client_key(EntityLevel.CAMPAIGN, spec.client_key) == campaign_id
        )


async def test_several_budgets_change_in_one_go_with_per_item_outcomes(env: PlatformEnv) -> None:
    campaign_id, adset_id, _ = await _structure(env)
    second = await env.adapter.create_adset(
        AdSetSpec(
            "k1s1",
            campaign_id,
            "US 36-50",
            Decimal("30"),
            Targeting(("US",), AgeRange(36, 50)),
            OptimizationGoal.CONVERSIONS,
            BidStrategy.LOWEST_COST,
            START,
            EntityStatus.ACTIVE,
        )
    )
    outcomes = await env.adapter.update_budgets(
        [(adset_id, Decimal("44.44")), ("999999999", Decimal("50")), (second, Decimal("30.00"))]
    )
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], RoasloopError)  # one bad item does not sink the others
    tree = await env.adapter.get_campaign_tree(campaign_id)
    budgets = {a.object_id: a.daily_budget for a in tree.adsets}
    assert budgets == {adset_id: Decimal("44.44"), second: Decimal("30")}


async def _bidding_adset(
    env: PlatformEnv, campaign_id: str, goal: OptimizationGoal, strategy: BidStrategy, key: str
) -> str:
    return await env.adapter.create_adset(
        AdSetSpec(
            client_key=key,
            campaign_id=campaign_id,
            name=f"capped {key}",
            daily_budget=Decimal("40"),
            targeting=Targeting(countries=("US",), age_range=AgeRange(36, 50)),
            optimization_goal=goal,
            bid_strategy=strategy,
            start_time=START,
            bid_amount=Decimal("12.50"),
        )
    )


@pytest.mark.parametrize(
    ("goal", "strategy"),
    [
        (OptimizationGoal.CONVERSIONS, BidStrategy.TARGET_COST),  # cost cap / target CPA
        (OptimizationGoal.CLICKS, BidStrategy.BID_CAP),  # price per click / CPC ceiling
    ],
    ids=["cost-cap", "click-bid"],
)
async def test_bids_update_round_trip_in_major_units(
    env: PlatformEnv, goal: OptimizationGoal, strategy: BidStrategy
) -> None:
    campaign_id, lowest_cost, _ = await _structure(env)
    capped = await _bidding_adset(env, campaign_id, goal, strategy, "k5s0")
    before = {a.object_id: a.bid for a in (await env.adapter.get_campaign_tree(campaign_id)).adsets}
    assert before == {lowest_cost: None, capped: Decimal("12.50")}
    await env.adapter.update_bid(capped, Decimal("14.37"))
    await env.adapter.update_bid(capped, Decimal("14.37"))  # absolute: repeating is harmless
    tree = await env.adapter.get_campaign_tree(campaign_id)
    after = {a.object_id: (a.bid, a.daily_budget) for a in tree.adsets}
    assert after == {
        lowest_cost: (None, Decimal("33.33")),
        capped: (Decimal("14.37"), Decimal("40")),
    }


async def test_bid_updates_name_the_refused_field(env: PlatformEnv) -> None:
    campaign_id, lowest_cost, _ = await _structure(env)
    with pytest.raises(InvalidParameter) as no_bid:
        await env.adapter.update_bid(lowest_cost, Decimal("10"))
    assert no_bid.value.field == "bid" and no_bid.value.code == "1001"
    assert no_bid.value.details["platform"] == env.driver.platform.value
    with pytest.raises(InvalidParameter) as unknown:
        await env.adapter.update_bid("999999999", Decimal("10"))
    assert unknown.value.field == "adset_id"
    capped = await _bidding_adset(
        env, campaign_id, OptimizationGoal.CONVERSIONS, BidStrategy.TARGET_COST, "k6s0"
    )
    with pytest.raises(InvalidParameter) as zero:
        await env.adapter.update_bid(capped, Decimal("0"))
    assert zero.value.field == "bid"
    bids = {a.object_id: a.bid for a in (await env.adapter.get_campaign_tree(campaign_id)).adsets}
    assert bids == {lowest_cost: None, capped: Decimal("12.50")}  # refusals changed nothing


async def test_campaign_budgets_where_the_platform_has_them(env: PlatformEnv) -> None:
    adapter = env.adapter
    plain, _, _ = await _structure(env)
    spec = CampaignSpec("k7c", "Shared budget", Objective.SALES, daily_budget=Decimal("120"))
    if not adapter.capabilities.campaign_budgets:
        with pytest.raises(InvalidParameter) as refused:
            await adapter.create_campaign(spec)
        assert refused.value.field == "daily_budget"
        with pytest.raises(InvalidParameter) as no_budget:
            await adapter.update_campaign_budget(plain, Decimal("150"))
        assert no_budget.value.field == "daily_budget" and "ad set" in no_budget.value.detail
        return
    shared = await adapter.create_campaign(spec)
    assert (await adapter.get_campaign_tree(shared)).campaign.daily_budget == Decimal("120")
    await adapter.update_campaign_budget(shared, Decimal("150.55"))
    assert (await adapter.get_campaign_tree(shared)).campaign.daily_budget == Decimal("150.55")
    for campaign_id, amount, field in (
        (plain, Decimal("150"), "daily_budget"),  # budgets live on its ad sets
        ("999999999", Decimal("150"), "campaign_id"),
        (shared, adapter.capabilities.min_campaign_daily_budget / 2, "daily_budget"),
    ):
        with pytest.raises(InvalidParameter) as caught:
            await adapter.update_campaign_budget(campaign_id, amount)
        assert caught.value.field == field, caught.value.details
        assert caught.value.details["platform"] == env.driver.platform.value
    assert (await adapter.get_campaign_tree(shared)).campaign.daily_budget == Decimal("150.55")
    assert (await adapter.get_campaign_tree(plain)).campaign.daily_budget is None


@pytest.mark.parametrize(
    "strategy", [BidStrategy.TARGET_ROAS, BidStrategy.MAX_CONVERSION_VALUE], ids=["roas", "value"]
)
async def test_value_bidding_ad_sets_have_no_money_bid_to_change(
    env: PlatformEnv, strategy: BidStrategy
) -> None:
    campaign_id = await env.adapter.create_campaign(CampaignSpec("k8c", "Value", Objective.SALES))
    adset_id = await env.adapter.create_adset(
        AdSetSpec(
            client_key="k8s0",
            campaign_id=campaign_id,
            name="value",
            daily_budget=Decimal("40"),
            targeting=Targeting(countries=("US",), age_range=AgeRange(18, 35)),
            optimization_goal=OptimizationGoal.VALUE,
            bid_strategy=strategy,
            start_time=START,
            bid_amount=Decimal("2.5") if strategy is BidStrategy.TARGET_ROAS else None,
        )
    )
    [adset] = (await env.adapter.get_campaign_tree(campaign_id)).adsets
    assert adset.object_id == adset_id and adset.bid is None  # a ROAS is not a money bid
    with pytest.raises(InvalidParameter) as refused:
        await env.adapter.update_bid(adset_id, Decimal("10"))
    assert refused.value.field == "bid"


async def test_learning_statuses_are_the_markets_as_the_platforms_field_reports_them(
    env: PlatformEnv,
) -> None:
    """What the adapter reads over HTTP is what the back-test feeds its policies for the
    same market state (:func:`roasloop.bootstrap_sandbox.reported_learning`)."""
    campaign_id, adset_id, _ = await _structure(env)
    adapter, market = env.adapter, env.world.market
    await adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    seen = set()
    for days in (0, 9, 20):
        env.clock.advance(timedelta(days=days))
        statuses = await adapter.get_learning_statuses(campaign_id)
        state = market.learning_state(adset_id, env.clock.today())
        expected = reported_learning(env.driver.platform, state, delivering=True)
        assert statuses == ({} if expected is None else {adset_id: expected})
        seen.add(state)
    assert "learning" in seen and len(seen) > 1
    await adapter.set_status(EntityLevel.ADSET, [adset_id], EntityStatus.PAUSED)
    assert await adapter.get_learning_statuses(campaign_id) == {}  # a paused ad set: not reported
