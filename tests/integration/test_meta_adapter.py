"""MetaAdapter against the in-process Meta sandbox, with a scripted network in between."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

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
from roasloop.errors import InvalidParameter, RateLimited, TokenExpired
from roasloop.platforms.meta.client import MetaAdapter
from roasloop.platforms.meta.driver import DRIVER
from roasloop.platforms.registry import PlatformRegistry
from roasloop.platforms.transport import RetryPolicy
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.platform import CampaignSpec, MediaSpec
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta.api import MetaSandboxConfig
from roasloop.sandbox.meta.docs import AD, ADSET, CAMPAIGN, VIDEO
from roasloop.sandbox.meta.usage import MetaQuota
from roasloop.sandbox.world import SandboxWorld
from roasloop.store import SqlAlchemyStore, TokenCipher
from tests.integration.meta_rig import (
    START,
    Rig,
    ad_specs,
    adset_spec,
    form,
    make_rig,
    structure,
)


# --- writes --------------------------------------------------------------------------------------
async def test_creates_a_structure_with_budgets_in_minor_units(rig: Rig) -> None:
    campaign_id, adset_id, ad_ids = await structure(rig)
    sent = form(rig.recorder.posts("/adsets")[0])
    assert sent["daily_budget"] == "3050" and sent["billing_event"] == "IMPRESSIONS"
    assert json.loads(sent["targeting"])["geo_locations"] == {"countries": ["US", "GB"]}
    assert json.loads(sent["promoted_object"])["custom_event_type"] == "PURCHASE"
    assert "s1" in rig.world.get(ADSET, adset_id)["name"]
    # one batch for three ads: thumbnail lookup + (creative, ad) per ad
    (batch,) = rig.recorder.posts("/v25.0/")
    assert len(json.loads(form(batch)["batch"])) == 7
    assert [a["adset_id"] for a in rig.docs(AD)] == [adset_id] * 3
    assert rig.world.market.to_state()["ads"][0]["creative"] == "hero"

    await rig.adapter.update_budget(adset_id, Decimal("45.25"))
    assert form(rig.recorder.posts(f"/{adset_id}")[-1]) == {"daily_budget": "4525"}
    assert rig.world.market.daily_budget(adset_id) == Decimal("45.25")
    assert rig.world.get(ADSET, adset_id)["budget_history"] == ["45.25"]

    await rig.adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    await rig.adapter.set_status(EntityLevel.AD, ad_ids[:2], EntityStatus.PAUSED)
    tree = await rig.adapter.get_campaign_tree(campaign_id)
    assert tree.campaign.status is EntityStatus.ACTIVE
    assert tree.adsets[0].daily_budget == Decimal("45.25")
    assert tree.adsets[0].parent_id == campaign_id
    assert [a.status for a in tree.ads] == [EntityStatus.PAUSED] * 2 + [EntityStatus.ACTIVE]
    assert len(rig.recorder.posts("/v25.0/")) == 2  # two status changes: one more batch


async def test_many_ads_are_split_into_batches_of_at_most_50_requests(rig: Rig) -> None:
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    adset_id = await rig.adapter.create_adset(adset_spec(campaign_id))
    media_id = await rig.adapter.upload_media(MediaSpec("m1", "cr1", "hero", str(rig.media)))
    ids = await rig.adapter.create_ads(ad_specs(adset_id, media_id, 40))
    assert len(set(ids)) == 40 == len(rig.docs(AD))
    batches = [json.loads(form(r)["batch"]) for r in rig.recorder.posts("/v25.0/")]
    assert len(batches) == 3 and all(len(b) <= 50 for b in batches)


async def test_video_urls_image_files_and_image_urls_all_make_ads(rig: Rig) -> None:
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    adset_id = await rig.adapter.create_adset(adset_spec(campaign_id))
    banner = rig.media.with_name("banner.png")
    banner.write_bytes(b"png bytes")
    upload = rig.adapter.upload_media
    video_id = await upload(MediaSpec("m1", "cr1", "promo", "https://cdn.example.com/promo.mp4"))
    image_hash = await upload(MediaSpec("m2", "cr2", "banner", str(banner)))
    assert image_hash == await upload(MediaSpec("m3", "cr2", "banner", str(banner)))
    picture = await upload(MediaSpec("m4", "cr3", "pic", "https://cdn.example.com/p.jpg"))
    assert video_id.isdigit() and len(image_hash) == 32 and picture.endswith("p.jpg")
    specs = [
        ad_specs(adset_id, m, 1, prefix=f"k{i}")[0]
        for i, m in enumerate([video_id, image_hash, picture])
    ]
    await rig.adapter.create_ads(specs)
    keys = [ad["creative"] for ad in rig.world.market.to_state()["ads"]]
    assert sorted(keys) == sorted(["promo", "banner", "ad 0"])


async def test_a_lost_create_is_found_not_duplicated(rig: Rig) -> None:
    lost: list[str] = []

    def lose_first_create(request: httpx.Request) -> str | None:
        path = request.url.path
        if (
            request.method == "POST"
            and path.rsplit("/", 1)[-1] in ("campaigns", "adsets", "advideos")
            and path not in lost
        ):
            lost.append(path)
            return "lose"
        return None

    rig.recorder.script = lose_first_create
    campaign_id, adset_id, _ = await structure(rig, ads=1)
    assert [c["id"] for c in rig.docs(CAMPAIGN)] == [campaign_id]
    assert [s["id"] for s in rig.docs(ADSET)] == [adset_id]
    assert len(rig.docs(VIDEO)) == 1 and len(lost) == 3


async def test_a_lost_batch_creates_only_the_missing_ads(rig: Rig) -> None:
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    adset_id = await rig.adapter.create_adset(adset_spec(campaign_id))
    media_id = await rig.adapter.upload_media(MediaSpec("m1", "cr1", "hero", str(rig.media)))
    await rig.adapter.create_ads(ad_specs(adset_id, media_id, 2, prefix="old"))
    losses = iter(["lose"])
    rig.recorder.script = lambda r: next(losses, None) if r.url.path == "/v25.0/" else None
    ids = await rig.adapter.create_ads(ad_specs(adset_id, media_id, 4))
    assert len(set(ids)) == 4
    assert len(rig.docs(AD)) == 6  # the lost batch's ads were found, not made again
    assert len(rig.recorder.posts("/v25.0/")) == 2  # the retry looked them up instead
    assert len(rig.time.sleeps) == 1


async def test_transient_graph_errors_are_retried(rig: Rig) -> None:
    failures = iter([{"code": 2, "message": "retry later", "is_transient": True}])
    rig.recorder.script = lambda request: next(failures, None)
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c9", "Glow", Objective.TRAFFIC))
    assert rig.world.get(CAMPAIGN, campaign_id)["objective"] == "OUTCOME_TRAFFIC"
    assert len(rig.time.sleeps) == 1


# --- throttling ----------------------------------------------------------------------------------
async def test_the_usage_header_slows_then_stops_the_adapter(tmp_path: Path) -> None:
    quota = MetaQuota(management_calls=12, window_seconds=60, block_seconds=120)
    rig = await make_rig(tmp_path, MetaSandboxConfig(quota=quota), qps=5.0)
    bucket = rig.caller.limiter.bucket(DRIVER.rate_limits(rig.adapter.account_id)[0].name)
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    while bucket.slowdown == 1.0:
        await rig.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "c1")
    assert 0 < bucket.slowdown < 1  # above 75 % of the quota: slower, more so towards 100 %
    for _ in range(4):
        assert await rig.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "c1") == campaign_id
    throttled = [body for status, body in rig.recorder.statuses if status == 400]
    assert [body["error"]["code"] for body in throttled] == [80004]  # one refusal, then waiting
    assert sum(rig.time.sleeps) >= quota.block_seconds
    await rig.extra["http"].aclose()
    rig.world.close()


async def test_throttling_that_outlasts_the_retries_raises_rate_limited(tmp_path: Path) -> None:
    quota = MetaQuota(management_calls=3, window_seconds=60, block_seconds=3600)
    rig = await make_rig(tmp_path, MetaSandboxConfig(quota=quota))
    # One attempt: the refusal surfaces at once, with the platform's hint to wait.
    rig.caller.policy = RetryPolicy(max_attempts=1, max_delay=1, sleep=rig.time.sleep)
    with pytest.raises(RateLimited) as caught:
        for _ in range(5):
            await rig.adapter.find_by_client_key(EntityLevel.CAMPAIGN, "x")
    assert caught.value.retry_after == 3600
    assert caught.value.details["platform_code"] == 80004
    await rig.extra["http"].aclose()
    rig.world.close()


# --- errors and reads ----------------------------------------------------------------------------
async def test_platform_errors_map_to_roasloop_errors(rig: Rig, tmp_path: Path) -> None:
    campaign_id = await rig.adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    roas = adset_spec(campaign_id, bid_strategy=BidStrategy.TARGET_ROAS)
    with pytest.raises(InvalidParameter) as invalid:
        await rig.adapter.create_adset(roas)
    assert invalid.value.field == "bid_constraints"
    assert invalid.value.details["platform_code"] == 100 and rig.docs(ADSET) == []
    with pytest.raises(InvalidParameter) as country:
        rig.adapter.check_countries(["US", "XX"])
    assert country.value.field == "target_countries[1]"
    with pytest.raises(InvalidParameter) as missing:
        await rig.adapter.get_campaign_tree("1780000000000001")
    assert missing.value.field == "campaign_id"

    expiring = await make_rig(tmp_path, MetaSandboxConfig(token_lifetime=timedelta(days=1)))
    expiring.clock.advance(timedelta(days=2))
    with pytest.raises(TokenExpired) as expired:
        await expiring.adapter.create_campaign(CampaignSpec("c2", "x", Objective.SALES))
    assert expired.value.details["action_url"] and expired.value.details["platform_subcode"] == 463
    assert len(expiring.time.sleeps) == 0  # not retried
    await expiring.extra["http"].aclose()
    expiring.world.close()


async def test_find_by_client_key_skips_deleted_objects_and_scopes_to_the_parent(rig: Rig) -> None:
    campaign_id, adset_id, ad_ids = await structure(rig, ads=2)
    adapter = rig.adapter
    assert await adapter.find_by_client_key(EntityLevel.AD, "a1", adset_id) == ad_ids[1]
    assert await adapter.find_by_client_key(EntityLevel.ADSET, "s1", campaign_id) == adset_id
    await adapter.set_status(EntityLevel.AD, [ad_ids[1]], EntityStatus.DELETED)
    assert await adapter.find_by_client_key(EntityLevel.AD, "a1", adset_id) is None
    assert await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "nope") is None


async def test_report_rows_carry_purchases_and_revenue(rig: Rig) -> None:
    campaign_id, _, ad_ids = await structure(rig, ads=2)
    await rig.adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    await rig.adapter.update_budget(rig.docs(ADSET)[0]["id"], Decimal("400"))
    rig.clock.advance(timedelta(days=6))
    await rig.adapter.set_status(EntityLevel.AD, [ad_ids[0]], EntityStatus.DELETED)
    rows = await rig.adapter.get_report(campaign_id, START.date(), START.date() + timedelta(days=9))
    as_of = rig.clock.today() - timedelta(days=1)
    assert {row.ad_id for row in rows} == set(ad_ids)  # deleted ads' past spend stays in
    for row in rows:
        truth = rig.world.market.reported(row.ad_id, row.day, as_of)
        assert (row.metrics.spend, row.metrics.conversions) == (truth.spend, truth.conversions)
        assert row.metrics.revenue == truth.revenue and row.campaign_id == campaign_id
    assert sum(row.metrics.conversions for row in rows) > 0


async def test_learning_stage_info_comes_over_the_wire_for_active_ad_sets_only(rig: Rig) -> None:
    campaign_id, adset_id, _ = await structure(rig, ads=1)
    adapter = rig.adapter
    paused = await adapter.create_adset(adset_spec(campaign_id, "s2", status=EntityStatus.PAUSED))
    assert await adapter.get_learning_statuses(campaign_id) == {}  # campaign paused: none active
    await adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
    assert await adapter.get_learning_statuses(campaign_id) == {adset_id: LearningStatus.LEARNING}
    request, (code, body) = rig.recorder.requests[-1], rig.recorder.statuses[-1]
    assert request.url.path.endswith(f"/{campaign_id}/adsets") and code == 200
    assert request.url.params["fields"] == "id,learning_stage_info"
    rows = {row["id"]: row for row in body["data"]}
    assert rows[adset_id]["learning_stage_info"] == {"status": "LEARNING"}
    assert "learning_stage_info" not in rows[paused]  # Graph returns it for active ad sets only
    rig.clock.advance(timedelta(days=9))  # the 7-day window passes without 50 conversions
    assert rig.world.market.learning_state(adset_id, rig.clock.today()) == "limited"
    assert await adapter.get_learning_statuses(campaign_id) == {adset_id: LearningStatus.LIMITED}
    rows = {row["id"]: row for row in rig.recorder.statuses[-1][1]["data"]}
    assert rows[adset_id]["learning_stage_info"] == {"status": "FAIL"}


async def test_the_registry_provisions_a_sandbox_account_through_the_driver(tmp_path: Path) -> None:
    clock = SimulatedClock(START)
    world = SandboxWorld(tmp_path / "meta.db", clock, Scenario.default("meta"), seed=2)
    settings = Settings(data_dir=tmp_path, enabled_platforms=[Platform.META], log_level="CRITICAL")
    store = SqlAlchemyStore(
        f"sqlite:///{tmp_path / 'db.sqlite'}", TokenCipher(TokenCipher.generate_key())
    )
    await store.migrate()

    sandbox = SANDBOXES[Platform.META]

    def http(platform: Platform) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=sandbox.app(world))
        return httpx.AsyncClient(transport=transport, base_url=sandbox.host)

    drivers, apps = {Platform.META: DRIVER}, {Platform.META: sandbox.credentials}
    registry = PlatformRegistry(settings, store, clock, drivers, apps, http, RetryPolicy())
    adapter = await registry.adapter_for("tenant-1", Platform.META)
    assert isinstance(adapter, MetaAdapter) and adapter.account_id.isdigit()
    campaign_id = await adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.AWARENESS))
    assert rig_account(world, campaign_id) == adapter.account_id
    await registry.close()
    await store.close()
    world.close()


def rig_account(world: SandboxWorld, campaign_id: str) -> str:
    return str(world.get(CAMPAIGN, campaign_id)["account_id"])
