"""The Store contract, run on SQLite and PostgreSQL (see the ``store`` fixture).

The builders at the top make one valid record of each kind for a tenant; the other
``test_store_*`` modules reuse them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from roasloop.domain.enums import (
    ABTestStatus,
    BidStrategy,
    EntityLevel,
    EntityStatus,
    Objective,
    OperationState,
    OptimizationGoal,
    Platform,
    QueueStatus,
    Stage,
    Trigger,
)
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import (
    ABTest,
    Ad,
    AdSet,
    AgeRange,
    Campaign,
    Creative,
    Operation,
    OptimizationQueueItem,
    PerformanceDaily,
    PlatformAccount,
    Rule,
    RuleExecution,
    Targeting,
)
from roasloop.errors import InternalError, InvalidParameter, NotFound
from roasloop.store import SqlAlchemyStore

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
D0 = date(2026, 3, 1)
TIKTOK = Platform.TIKTOK


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def account(tenant: str, account_id: str = "acc-1", **kw: Any) -> PlatformAccount:
    base = PlatformAccount(tenant, TIKTOK, account_id, f"act.{tenant}.secret-token", T0, "main")
    return replace(base, **kw)


def creative(tenant: str, creative_id: str = "cr-1", created: datetime = T0) -> Creative:
    script = {"hook": "Wait for it…", "scenes": [1, 2.5, True, None]}
    return Creative(
        creative_id, tenant, f"video {creative_id}", "https://shop/p", "s3://v", created, script
    )


def campaign(tenant: str, campaign_id: str = "c-1", created: datetime = T0, **kw: Any) -> Campaign:
    base = Campaign(
        campaign_id, tenant, TIKTOK, "acc-1", f"campaign {campaign_id}", Objective.SALES,
        Decimal("100.00"), EntityStatus.ACTIVE, created, created, Stage.HEATING,
        target_roas=Decimal("2.35"), target_cpa=Decimal("12.50"), product_url="https://shop/p",
    )  # fmt: skip
    return replace(base, **kw)


def adset(tenant: str, adset_id: str = "as-1", campaign_id: str = "c-1", **kw: Any) -> AdSet:
    base = AdSet(
        adset_id, campaign_id, tenant, TIKTOK, f"adset {adset_id}", Decimal("33.33"),
        EntityStatus.ACTIVE, Targeting(("US", "CA"), AgeRange(18, 35)), OptimizationGoal.VALUE,
        BidStrategy.TARGET_ROAS, T0, T0, bid_amount=Decimal("1.05"),
    )  # fmt: skip
    return replace(base, **kw)


def ad(tenant: str, ad_id: str = "ad-1", created: datetime = T0, **kw: Any) -> Ad:
    base = Ad(
        ad_id, "as-1", "c-1", tenant, TIKTOK, "cr-1", f"ad {ad_id}", "Buy now 🔥",
        EntityStatus.ACTIVE, created, created,
    )  # fmt: skip
    return replace(base, **kw)


def perf(tenant: str, ad_id: str = "ad-1", day: date = D0, **kw: Any) -> PerformanceDaily:
    metrics = MetricTotals(1000, 30, 3, Decimal("45.67"), Decimal("123.45"))
    return replace(PerformanceDaily(tenant, TIKTOK, "c-1", "as-1", ad_id, day, metrics, T0), **kw)


def operation(
    tenant: str, operation_id: str = "op-1", created: datetime = T0, **kw: Any
) -> Operation:
    base = Operation(
        operation_id, tenant, TIKTOK, created, Trigger.POLICY, EntityLevel.ADSET, "as-1",
        "set_budget", OperationState.PLANNED, before={"daily_budget": "33.33"},
        after={"daily_budget": "40.00"}, reason="roas above target", request_id="req-1",
        idempotency_key=f"key-{operation_id}",
    )  # fmt: skip
    return replace(base, **kw)


def rule(tenant: str, rule_id: str = "r-1", created: datetime = T0, **kw: Any) -> Rule:
    condition = {"all": [{"metric": "roas", "op": "<", "value": 1.2, "window_days": 3}]}
    base = Rule(
        rule_id, tenant, f"rule {rule_id}", condition, {"type": "pause"}, {"level": "ad"},
        3600, True, created,
    )  # fmt: skip
    return replace(base, **kw)


def execution(
    tenant: str, execution_id: str = "x-1", executed: datetime = T0, **kw: Any
) -> RuleExecution:
    base = RuleExecution(
        execution_id, "r-1", tenant, executed, "ad-1", True, {"roas": 0.8}, "pause",
        {"status": "active"}, {"status": "paused"}, "applied", "roas 0.8 < 1.2",
    )  # fmt: skip
    return replace(base, **kw)


def ab_test(tenant: str, test_id: str = "ab-1", **kw: Any) -> ABTest:
    base = ABTest(
        test_id, tenant, "hooks", TIKTOK, "c-1", (("cr-1", "as-1"), ("cr-2", "as-2")),
        Decimal("50.00"), 7, D0, D0 + timedelta(days=7), ABTestStatus.RUNNING, "roas", T0,
    )  # fmt: skip
    return replace(base, **kw)


def queue_item(
    tenant: str, item_id: str = "q-1", created: datetime = T0, **kw: Any
) -> OptimizationQueueItem:
    base = OptimizationQueueItem(
        item_id, tenant, "ad-1", "batch-1", QueueStatus.PENDING, "manual", created,
        {"creative_ids": ["cr-9"]},
    )  # fmt: skip
    return replace(base, **kw)


# --- accounts -----------------------------------------------------------------------------
async def test_account_round_trips_with_decrypted_token(store: SqlAlchemyStore) -> None:
    await store.save_account(account("t1"))
    assert await store.get_account("t1", TIKTOK) == account("t1")
    assert await store.get_account("t1", Platform.META) is None


async def test_get_account_returns_the_newest(store: SqlAlchemyStore) -> None:
    await store.save_account(account("t1", "old", created_at=at(0)))
    await store.save_account(account("t1", "new", created_at=at(5)))
    await store.save_account(account("t1", "older", created_at=at(-5)))
    newest = await store.get_account("t1", TIKTOK)
    assert newest is not None and newest.account_id == "new"


async def test_save_account_replaces_by_key(store: SqlAlchemyStore) -> None:
    await store.save_account(account("t1"))
    await store.save_account(account("t1", access_token="rotated", name="renamed"))
    assert await store.get_account("t1", TIKTOK) == account(
        "t1", access_token="rotated", name="renamed"
    )


# --- creatives ----------------------------------------------------------------------------
async def test_creatives_round_trip_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [creative("t1", "b", at(1)), creative("t1", "c", at(0)), creative("t1", "a", at(1))]
    for item in items:
        await store.save_creative(item)
    await store.save_creative(replace(items[0], script=None))
    listed = await store.list_creatives("t1")
    assert [c.creative_id for c in listed] == ["c", "a", "b"]
    assert await store.get_creative("t1", "b") == replace(items[0], script=None)
    assert await store.get_creative("t1", "zzz") is None


async def test_media_refs_are_per_platform_and_account(store: SqlAlchemyStore) -> None:
    await store.save_media_ref("t1", "cr-1", TIKTOK, "acc-1", "m-1")
    await store.save_media_ref("t1", "cr-1", TIKTOK, "acc-1", "m-2")
    assert await store.get_media_ref("t1", "cr-1", TIKTOK, "acc-1") == "m-2"
    assert await store.get_media_ref("t1", "cr-1", TIKTOK, "acc-2") is None
    assert await store.get_media_ref("t1", "cr-1", Platform.META, "acc-1") is None


# --- campaign structure -----------------------------------------------------------------
async def test_campaigns_round_trip_ordered_and_filtered(store: SqlAlchemyStore) -> None:
    meta = campaign("t1", "m-1", at(-1), platform=Platform.META, target_roas=None, target_cpa=None)
    for item in [campaign("t1", "c-2", at(2)), campaign("t1", "c-1", at(2)), meta]:
        await store.save_campaign(item)
    assert [c.campaign_id for c in await store.list_campaigns("t1")] == ["m-1", "c-1", "c-2"]
    assert [c.campaign_id for c in await store.list_campaigns("t1", TIKTOK)] == ["c-1", "c-2"]
    assert await store.get_campaign("t1", Platform.META, "m-1") == meta
    assert await store.get_campaign("t1", TIKTOK, "m-1") is None


async def test_adsets_round_trip_ordered_by_campaign(store: SqlAlchemyStore) -> None:
    first, second = adset("t1", "as-2"), adset("t1", "as-1", bid_amount=None)
    other = adset("t1", "as-0", campaign_id="c-9")
    for item in (first, second, other):
        await store.save_adset(item)
    assert await store.list_adsets("t1", TIKTOK, "c-1") == [second, first]
    assert await store.get_adset("t1", TIKTOK, "as-0") == other
    assert await store.get_adset("t1", Platform.GOOGLE, "as-0") is None


async def test_ads_are_listed_by_campaign_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [ad("t1", "ad-3", at(0)), ad("t1", "ad-2", at(1)), ad("t1", "ad-1", at(1))]
    for item in [
        *items,
        ad("t1", "ad-x", campaign_id="c-2"),
        ad("t1", "ad-y", platform=Platform.META),
    ]:
        await store.save_ad(item)
    assert await store.list_ads("t1", TIKTOK, "c-1") == [items[0], items[2], items[1]]


@pytest.mark.parametrize("level", list(EntityLevel))
async def test_set_status_updates_each_level(store: SqlAlchemyStore, level: EntityLevel) -> None:
    await store.save_campaign(campaign("t1", "obj"))
    await store.save_adset(adset("t1", "obj"))
    await store.save_ad(ad("t1", "obj"))
    await store.set_status("t1", TIKTOK, level, "obj", EntityStatus.PAUSED, at(60))
    campaigns = await store.list_campaigns("t1")
    adsets = await store.list_adsets("t1", TIKTOK, "c-1")
    ads = await store.list_ads("t1", TIKTOK, "c-1")
    changed: dict[EntityLevel, Campaign | AdSet | Ad] = {
        EntityLevel.CAMPAIGN: campaigns[0],
        EntityLevel.ADSET: adsets[0],
        EntityLevel.AD: ads[0],
    }
    for each_level, record in changed.items():
        expected = EntityStatus.PAUSED if each_level is level else EntityStatus.ACTIVE
        assert record.status is expected
        assert record.updated_at == (at(60) if each_level is level else T0)


async def test_updates_of_missing_objects_raise_not_found(store: SqlAlchemyStore) -> None:
    with pytest.raises(NotFound):
        await store.set_status("t1", TIKTOK, EntityLevel.AD, "nope", EntityStatus.PAUSED, T0)
    with pytest.raises(NotFound):
        await store.set_adset_budget("t1", TIKTOK, "nope", Decimal("1.00"), T0)
    with pytest.raises(NotFound):
        await store.update_operation("t1", "nope", OperationState.SENT, T0)
    with pytest.raises(NotFound):
        await store.set_queue_status("t1", "nope", QueueStatus.APPROVED, T0)


async def test_set_adset_budget_is_exact(store: SqlAlchemyStore) -> None:
    await store.save_adset(adset("t1"))
    await store.set_adset_budget("t1", TIKTOK, "as-1", Decimal("0.10") + Decimal("0.20"), at(1))
    stored = await store.get_adset("t1", TIKTOK, "as-1")
    assert stored is not None
    assert stored.daily_budget == Decimal("0.30") and str(stored.daily_budget) == "0.30"
    assert stored.updated_at == at(1)


# --- money and time -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "amount", ["33.33", "0.01", "0", "0.30", "1234567890123456.78", "99999999.99"]
)
async def test_money_is_stored_exactly(store: SqlAlchemyStore, amount: str) -> None:
    await store.save_campaign(
        campaign("t1", daily_budget=Decimal(amount), target_cpa=Decimal(amount))
    )
    stored = await store.get_campaign("t1", TIKTOK, "c-1")
    assert stored is not None
    assert isinstance(stored.daily_budget, Decimal)
    assert stored.daily_budget == Decimal(amount) == stored.target_cpa
    assert stored.daily_budget.as_tuple().exponent == -2


async def test_sub_cent_money_rounds_half_up_and_ratios_keep_four_places(
    store: SqlAlchemyStore,
) -> None:
    await store.save_campaign(
        campaign("t1", daily_budget=Decimal("10.005"), target_roas=Decimal("2.34567"))
    )
    stored = await store.get_campaign("t1", TIKTOK, "c-1")
    assert stored is not None
    assert stored.daily_budget == Decimal("10.01")
    assert stored.target_roas == Decimal("2.3457")


async def test_datetimes_come_back_aware_utc(store: SqlAlchemyStore) -> None:
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2026, 3, 1, 8, 0, 0, 500, tzinfo=shanghai)
    await store.save_creative(creative("t1", created=local))
    stored = await store.get_creative("t1", "cr-1")
    assert stored is not None
    assert stored.created_at == local
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at == datetime(2026, 3, 1, 0, 0, 0, 500, tzinfo=UTC)


async def test_naive_datetimes_are_refused(store: SqlAlchemyStore) -> None:
    with pytest.raises(InternalError, match="server log"):  # which says "timezone-aware"
        await store.save_creative(creative("t1", created=datetime(2026, 3, 1, 8, 0)))
    assert await store.list_creatives("t1") == []


# --- performance --------------------------------------------------------------------------
async def test_upsert_performance_inserts_then_replaces(store: SqlAlchemyStore) -> None:
    assert await store.upsert_performance([perf("t1", "ad-1"), perf("t1", "ad-2")]) == 2
    newer = MetricTotals(2000, 60, 7, Decimal("0.10") + Decimal("0.20"), Decimal("33.33"))
    changed = perf("t1", "ad-1", metrics=newer, fetched_at=at(90))
    assert await store.upsert_performance([changed, perf("t1", "ad-3")]) == 2
    rows = await store.list_performance("t1", TIKTOK, "c-1", D0, D0)
    assert rows == [changed, perf("t1", "ad-2"), perf("t1", "ad-3")]
    assert rows[0].metrics.spend == Decimal("0.30")


async def test_upsert_performance_edge_cases(store: SqlAlchemyStore) -> None:
    assert await store.upsert_performance([]) == 0
    with pytest.raises(InvalidParameter):
        await store.upsert_performance([perf("t1"), perf("t2")])
    later = perf("t1", fetched_at=at(5))
    assert await store.upsert_performance([perf("t1"), later]) == 2
    assert await store.list_performance("t1", TIKTOK, "c-1", D0, D0) == [later]


async def test_list_performance_range_is_inclusive_and_ordered(store: SqlAlchemyStore) -> None:
    days = [D0 + timedelta(days=n) for n in range(5)]
    rows = [perf("t1", ad_id, day) for day in reversed(days) for ad_id in ("ad-b", "ad-a")]
    rows += [
        perf("t1", "ad-z", days[1], campaign_id="c-2"),
        perf("t1", "ad-m", days[1], platform=Platform.META),
    ]
    await store.upsert_performance(rows)
    listed = await store.list_performance("t1", TIKTOK, "c-1", days[1], days[3])
    assert [(r.day, r.ad_id) for r in listed] == [
        (d, a) for d in days[1:4] for a in ("ad-a", "ad-b")
    ]


# --- snapshots and plans ------------------------------------------------------------------
async def test_snapshots_round_trip_and_replace(store: SqlAlchemyStore) -> None:
    assert await store.get_snapshot("t1", "campaign_status", "c-1") is None
    await store.save_snapshot("t1", "campaign_status", "c-1", {"status": "active"}, T0)
    await store.save_snapshot(
        "t1", "campaign_status", "c-1", {"status": "paused", "n": [1, 2]}, at(1)
    )
    snap = await store.get_snapshot("t1", "campaign_status", "c-1")
    assert snap is not None and snap.payload == {"status": "paused", "n": [1, 2]}
    assert snap.taken_at == at(1)
    assert await store.get_snapshot("t1", "other_kind", "c-1") is None


async def test_plans_round_trip_by_idempotency_key(store: SqlAlchemyStore) -> None:
    assert await store.get_plan("t1", "key-1") is None
    plan = {"campaign": {"name": "x", "budget": "100.00"}, "adsets": [{"age": "18-35"}], "ok": True}
    await store.save_plan("t1", "key-1", plan, T0)
    assert await store.get_plan("t1", "key-1") == plan
    await store.save_plan("t1", "key-1", {"replaced": 1}, at(1))
    assert await store.get_plan("t1", "key-1") == {"replaced": 1}


async def test_get_creatives_returns_the_tenants_matches_by_id(store: SqlAlchemyStore) -> None:
    first, second = creative("t1", "cr-a"), creative("t1", "cr-b")
    for item in (first, second, creative("t2", "cr-c")):
        await store.save_creative(item)
    found = await store.get_creatives("t1", ["cr-a", "cr-b", "cr-c", "missing"])
    assert found == {"cr-a": first, "cr-b": second}
