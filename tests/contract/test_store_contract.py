"""The store's repositories, run on SQLite and PostgreSQL (see the ``store`` fixture):
accounts, creatives, campaigns, performance, documents and plans.

Each test writes in one unit of work and reads in another, so what is checked is what
was committed. The builders of valid records are in ``records``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Ad, AdSet, Campaign
from roasloop.errors import InternalError, InvalidParameter, NotFound
from roasloop.ports.store import Document
from roasloop.store import SqlAlchemyStore
from tests.contract.records import (
    D0,
    T0,
    TIKTOK,
    account,
    ad,
    adset,
    at,
    campaign,
    creative,
    perf,
)


# --- accounts -----------------------------------------------------------------------------
async def test_account_round_trips_with_decrypted_token(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.accounts.save(account("t1"))
    async with store.unit("t1") as uow:
        assert await uow.accounts.get(TIKTOK) == account("t1")
        assert await uow.accounts.get(Platform.META) is None


async def test_get_account_returns_the_newest(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.accounts.save(account("t1", "old", created_at=at(0)))
        await uow.accounts.save(account("t1", "new", created_at=at(5)))
        await uow.accounts.save(account("t1", "older", created_at=at(-5)))
    async with store.unit("t1") as uow:
        newest = await uow.accounts.get(TIKTOK)
    assert newest is not None and newest.account_id == "new"


async def test_save_account_replaces_by_key(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.accounts.save(account("t1"))
    async with store.unit("t1") as uow:
        await uow.accounts.save(account("t1", access_token="rotated", name="renamed"))
    async with store.unit("t1") as uow:
        stored = await uow.accounts.get(TIKTOK)
    assert stored == account("t1", access_token="rotated", name="renamed")


# --- creatives ----------------------------------------------------------------------------
async def test_creatives_round_trip_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [creative("t1", "b", at(1)), creative("t1", "c", at(0)), creative("t1", "a", at(1))]
    async with store.unit("t1") as uow:
        for item in items:
            await uow.creatives.save(item)
        await uow.creatives.save(replace(items[0], script=None))
    async with store.unit("t1") as uow:
        assert [c.creative_id for c in await uow.creatives.all()] == ["c", "a", "b"]
        assert await uow.creatives.get("b") == replace(items[0], script=None)
        assert await uow.creatives.get("zzz") is None


async def test_get_many_creatives_returns_the_tenants_matches_by_id(
    store: SqlAlchemyStore,
) -> None:
    first, second = creative("t1", "cr-a"), creative("t1", "cr-b")
    async with store.unit("t1") as uow:
        await uow.creatives.save(first)
        await uow.creatives.save(second)
    async with store.unit("t2") as uow:
        await uow.creatives.save(creative("t2", "cr-c"))
    async with store.unit("t1") as uow:
        found = await uow.creatives.get_many(["cr-a", "cr-b", "cr-c", "missing"])
        assert await uow.creatives.get_many([]) == {}
    assert found == {"cr-a": first, "cr-b": second}


async def test_media_refs_are_per_platform_and_account(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.creatives.save_media_ref("cr-1", TIKTOK, "acc-1", "m-1")
        await uow.creatives.save_media_ref("cr-1", TIKTOK, "acc-1", "m-2")
    async with store.unit("t1") as uow:
        assert await uow.creatives.get_media_ref("cr-1", TIKTOK, "acc-1") == "m-2"
        assert await uow.creatives.get_media_ref("cr-1", TIKTOK, "acc-2") is None
        assert await uow.creatives.get_media_ref("cr-1", Platform.META, "acc-1") is None


# --- campaign structure -----------------------------------------------------------------
async def test_campaigns_round_trip_ordered_and_filtered(store: SqlAlchemyStore) -> None:
    meta = campaign("t1", "m-1", at(-1), platform=Platform.META, target_roas=None, target_cpa=None)
    async with store.unit("t1") as uow:
        for item in [campaign("t1", "c-2", at(2)), campaign("t1", "c-1", at(2)), meta]:
            await uow.campaigns.save(item)
    async with store.unit("t1") as uow:
        assert [c.campaign_id for c in await uow.campaigns.all()] == ["m-1", "c-1", "c-2"]
        assert [c.campaign_id for c in await uow.campaigns.all(TIKTOK)] == ["c-1", "c-2"]
        assert await uow.campaigns.get(Platform.META, "m-1") == meta
        assert await uow.campaigns.get(TIKTOK, "m-1") is None


async def test_adsets_round_trip_ordered_by_campaign(store: SqlAlchemyStore) -> None:
    first, second = adset("t1", "as-2"), adset("t1", "as-1", bid_amount=None)
    other = adset("t1", "as-0", campaign_id="c-9")
    async with store.unit("t1") as uow:
        for item in (first, second, other):
            await uow.campaigns.save_adset(item)
    async with store.unit("t1") as uow:
        assert await uow.campaigns.list_adsets(TIKTOK, "c-1") == [second, first]
        assert await uow.campaigns.get_adset(TIKTOK, "as-0") == other
        assert await uow.campaigns.get_adset(Platform.GOOGLE, "as-0") is None


async def test_ads_are_listed_by_campaign_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [ad("t1", "ad-3", at(0)), ad("t1", "ad-2", at(1)), ad("t1", "ad-1", at(1))]
    others = [ad("t1", "ad-x", campaign_id="c-2"), ad("t1", "ad-y", platform=Platform.META)]
    async with store.unit("t1") as uow:
        await uow.campaigns.save_ads([*items, *others])
        await uow.campaigns.save_ads([])
        await uow.campaigns.save_ads([replace(items[0], copy="replaced")])
    async with store.unit("t1") as uow:
        listed = await uow.campaigns.list_ads(TIKTOK, "c-1")
    assert listed == [replace(items[0], copy="replaced"), items[2], items[1]]


@pytest.mark.parametrize("level", list(EntityLevel))
async def test_set_status_updates_each_level(store: SqlAlchemyStore, level: EntityLevel) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save(campaign("t1", "obj"))
        await uow.campaigns.save_adset(adset("t1", "obj"))
        await uow.campaigns.save_ads([ad("t1", "obj")])
    async with store.unit("t1") as uow:
        await uow.campaigns.set_status(TIKTOK, level, "obj", EntityStatus.PAUSED, at(60))
    async with store.unit("t1") as uow:
        changed: dict[EntityLevel, Campaign | AdSet | Ad] = {
            EntityLevel.CAMPAIGN: (await uow.campaigns.all())[0],
            EntityLevel.ADSET: (await uow.campaigns.list_adsets(TIKTOK, "c-1"))[0],
            EntityLevel.AD: (await uow.campaigns.list_ads(TIKTOK, "c-1"))[0],
        }
    for each_level, record in changed.items():
        expected = EntityStatus.PAUSED if each_level is level else EntityStatus.ACTIVE
        assert record.status is expected
        assert record.updated_at == (at(60) if each_level is level else T0)


async def test_updates_of_missing_objects_raise_not_found(store: SqlAlchemyStore) -> None:
    paused = EntityStatus.PAUSED
    async with store.unit("t1") as uow:
        with pytest.raises(NotFound):
            await uow.campaigns.set_status(TIKTOK, EntityLevel.AD, "nope", paused, T0)
        with pytest.raises(NotFound):
            await uow.campaigns.set_adset_budget(TIKTOK, "nope", Decimal("1.00"), T0)


async def test_set_adset_budget_is_exact(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save_adset(adset("t1"))
    async with store.unit("t1") as uow:
        budget = Decimal("0.10") + Decimal("0.20")
        await uow.campaigns.set_adset_budget(TIKTOK, "as-1", budget, at(1))
    async with store.unit("t1") as uow:
        stored = await uow.campaigns.get_adset(TIKTOK, "as-1")
    assert stored is not None
    assert stored.daily_budget == Decimal("0.30") and str(stored.daily_budget) == "0.30"
    assert stored.updated_at == at(1)


# --- money and time -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "amount", ["33.33", "0.01", "0", "0.30", "1234567890123456.78", "99999999.99"]
)
async def test_money_is_stored_exactly(store: SqlAlchemyStore, amount: str) -> None:
    saved = campaign("t1", daily_budget=Decimal(amount), target_cpa=Decimal(amount))
    async with store.unit("t1") as uow:
        await uow.campaigns.save(saved)
    async with store.unit("t1") as uow:
        stored = await uow.campaigns.get(TIKTOK, "c-1")
    assert stored is not None
    assert isinstance(stored.daily_budget, Decimal)
    assert stored.daily_budget == Decimal(amount) == stored.target_cpa
    assert stored.daily_budget.as_tuple().exponent == -2


async def test_sub_cent_money_rounds_half_up_and_ratios_keep_four_places(
    store: SqlAlchemyStore,
) -> None:
    saved = campaign("t1", daily_budget=Decimal("10.005"), target_roas=Decimal("2.34567"))
    async with store.unit("t1") as uow:
        await uow.campaigns.save(saved)
    async with store.unit("t1") as uow:
        stored = await uow.campaigns.get(TIKTOK, "c-1")
    assert stored is not None
    assert stored.daily_budget == Decimal("10.01")
    assert stored.target_roas == Decimal("2.3457")


async def test_datetimes_come_back_aware_utc(store: SqlAlchemyStore) -> None:
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2026, 3, 1, 8, 0, 0, 500, tzinfo=shanghai)
    async with store.unit("t1") as uow:
        await uow.creatives.save(creative("t1", created=local))
    async with store.unit("t1") as uow:
        stored = await uow.creatives.get("cr-1")
    assert stored is not None
    assert stored.created_at == local
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at == datetime(2026, 3, 1, 0, 0, 0, 500, tzinfo=UTC)


async def test_naive_datetimes_are_refused(store: SqlAlchemyStore) -> None:
    with pytest.raises(InternalError, match="server log"):  # which says "timezone-aware"
        async with store.unit("t1") as uow:
            await uow.creatives.save(creative("t1", created=datetime(2026, 3, 1, 8, 0)))
    async with store.unit("t1") as uow:
        assert await uow.creatives.all() == []


# --- performance --------------------------------------------------------------------------
async def test_upsert_performance_inserts_then_replaces(store: SqlAlchemyStore) -> None:
    newer = MetricTotals(2000, 60, 7, Decimal("0.10") + Decimal("0.20"), Decimal("33.33"))
    changed = perf("t1", "ad-1", metrics=newer, fetched_at=at(90))
    async with store.unit("t1") as uow:
        assert await uow.performance.upsert([perf("t1", "ad-1"), perf("t1", "ad-2")]) == 2
    async with store.unit("t1") as uow:
        assert await uow.performance.upsert([changed, perf("t1", "ad-3")]) == 2
    async with store.unit("t1") as uow:
        rows = await uow.performance.for_campaign(TIKTOK, "c-1", D0, D0)
    assert rows == [changed, perf("t1", "ad-2"), perf("t1", "ad-3")]
    assert rows[0].metrics.spend == Decimal("0.30")


async def test_upsert_performance_edge_cases(store: SqlAlchemyStore) -> None:
    later = perf("t1", fetched_at=at(5))
    async with store.unit("t1") as uow:
        assert await uow.performance.upsert([]) == 0
        with pytest.raises(InvalidParameter) as caught:
            await uow.performance.upsert([perf("t1"), perf("t2")])
        assert caught.value.field == "rows"
        assert await uow.performance.upsert([perf("t1"), later]) == 2
    async with store.unit("t1") as uow:
        assert await uow.performance.for_campaign(TIKTOK, "c-1", D0, D0) == [later]


async def test_performance_for_campaign_is_inclusive_and_ordered(store: SqlAlchemyStore) -> None:
    days = [D0 + timedelta(days=n) for n in range(5)]
    rows = [perf("t1", ad_id, day) for day in reversed(days) for ad_id in ("ad-b", "ad-a")]
    rows += [
        perf("t1", "ad-z", days[1], campaign_id="c-2"),
        perf("t1", "ad-m", days[1], platform=Platform.META),
    ]
    async with store.unit("t1") as uow:
        await uow.performance.upsert(rows)
    async with store.unit("t1") as uow:
        listed = await uow.performance.for_campaign(TIKTOK, "c-1", days[1], days[3])
    assert [(r.day, r.ad_id) for r in listed] == [
        (d, a) for d in days[1:4] for a in ("ad-a", "ad-b")
    ]


# --- documents and plans ------------------------------------------------------------------
async def test_documents_round_trip_and_replace(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        assert await uow.documents.get("campaign_status", "c-1") is None
        await uow.documents.save("campaign_status", "c-1", {"status": "active"}, T0)
    async with store.unit("t1") as uow:
        payload = {"status": "paused", "n": [1, 2]}
        await uow.documents.save("campaign_status", "c-1", payload, at(1))
    async with store.unit("t1") as uow:
        saved = await uow.documents.get("campaign_status", "c-1")
        assert await uow.documents.get("other_kind", "c-1") is None
    assert saved == Document(payload={"status": "paused", "n": [1, 2]}, saved_at=at(1))


async def test_json_documents_round_trip_unchanged(store: SqlAlchemyStore) -> None:
    payload = {
        "text": '中文 ünïcödé "quoted" \\ back',
        "nested": {"list": [1, -2, 3.5, None, True, False, {"deep": []}]},
        "empty": {},
        "big": 2**53,
    }
    async with store.unit("t1") as uow:
        await uow.documents.save("kind", "key", payload, T0)
    async with store.unit("t1") as uow:
        saved = await uow.documents.get("kind", "key")
    assert saved is not None and saved.payload == payload


async def test_plans_round_trip_by_idempotency_key(store: SqlAlchemyStore) -> None:
    plan = {"campaign": {"name": "x", "budget": "100.00"}, "adsets": [{"age": "18-35"}], "ok": True}
    async with store.unit("t1") as uow:
        assert await uow.plans.get("key-1") is None
        await uow.plans.save("key-1", plan, T0)
    async with store.unit("t1") as uow:
        assert await uow.plans.get("key-1") == plan
        await uow.plans.save("key-1", {"replaced": 1}, at(1))
    async with store.unit("t1") as uow:
        assert await uow.plans.get("key-1") == {"replaced": 1}
