"""The unit of work on SQLite and PostgreSQL: one tenant, one transaction, never nested."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal

import pytest

from roasloop.domain.enums import EntityLevel, EntityStatus
from roasloop.errors import InternalError, InvalidParameter
from roasloop.store import SqlAlchemyStore
from tests.contract.records import TIKTOK, adset, at, campaign, creative, operation, rule


class Boom(Exception):
    """Raised by a test inside a unit."""


async def test_a_unit_commits_everything_when_its_block_ends(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save(campaign("t1"))
        await uow.operations.record(operation("t1"))
        assert uow.tenant_id == "t1"
    async with store.unit("t1") as uow:
        assert await uow.campaigns.all() == [campaign("t1")]
        assert await uow.operations.find() == [operation("t1")]


async def test_a_unit_that_raises_writes_nothing(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save(campaign("t1", "kept"))
    with pytest.raises(Boom):
        async with store.unit("t1") as uow:
            await uow.campaigns.save(campaign("t1", "c-new"))
            await uow.campaigns.set_status(
                TIKTOK, EntityLevel.CAMPAIGN, "kept", EntityStatus.PAUSED, at(1)
            )
            await uow.operations.record(operation("t1"))
            raise Boom
    async with store.unit("t1") as uow:
        assert await uow.campaigns.all() == [campaign("t1", "kept")]
        assert await uow.operations.find() == []


async def test_a_unit_reads_its_own_writes_and_updates(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save_adset(adset("t1"))
        assert await uow.campaigns.get_adset(TIKTOK, "as-1") == adset("t1")
        await uow.campaigns.set_adset_budget(TIKTOK, "as-1", Decimal("12.00"), at(1))
        changed = await uow.campaigns.get_adset(TIKTOK, "as-1")
        await uow.campaigns.save_adset(replace(adset("t1"), name="renamed"))
        renamed = await uow.campaigns.list_adsets(TIKTOK, "c-1")
    assert changed == replace(adset("t1"), daily_budget=Decimal("12.00"), updated_at=at(1))
    assert renamed == [replace(adset("t1"), name="renamed")]


async def test_a_unit_inside_another_is_refused(store: SqlAlchemyStore) -> None:
    async with store.unit("t1"):
        with pytest.raises(InternalError):
            async with store.unit("t1"):
                pass
        with pytest.raises(InternalError):  # tasks started inside a unit inherit it
            await asyncio.gather(_open_unit(store))
    async with store.unit("t1") as uow:  # and the store is usable afterwards
        assert await uow.campaigns.all() == []


async def _open_unit(store: SqlAlchemyStore) -> None:
    async with store.unit("t2"):
        pass


async def test_concurrent_units_all_commit(store: SqlAlchemyStore) -> None:
    async def save(n: int) -> None:
        async with store.unit("t1") as uow:
            await uow.creatives.save(creative("t1", f"cr-{n}"))
            await asyncio.sleep(0)
            await uow.campaigns.save(campaign("t1", f"c-{n}"))

    await asyncio.gather(*(save(n) for n in range(6)))
    async with store.unit("t1") as uow:
        assert len(await uow.creatives.all()) == len(await uow.campaigns.all()) == 6


async def test_an_empty_tenant_is_refused(store: SqlAlchemyStore) -> None:
    with pytest.raises(InvalidParameter) as caught:
        async with store.unit(""):
            pass
    assert caught.value.field == "tenant_id"


async def test_records_of_another_tenant_are_refused(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        with pytest.raises(InvalidParameter) as caught:
            await uow.campaigns.save(campaign("t2"))
        assert caught.value.field == "tenant_id"
        with pytest.raises(InvalidParameter):
            await uow.rules.save(rule("t2"))
        with pytest.raises(InvalidParameter):
            await uow.operations.record_many([operation("t1", "op-1"), operation("t2", "op-2")])
    async with store.unit("t2") as uow:
        assert await uow.campaigns.all() == [] and await uow.rules.all() == []
    async with store.unit("t1") as uow:
        assert await uow.operations.find() == []


async def test_list_tenants_names_owners_of_rules_or_campaigns(store: SqlAlchemyStore) -> None:
    assert await store.list_tenants() == []
    async with store.unit("zeta") as uow:
        await uow.rules.save(rule("zeta"))
    async with store.unit("alpha") as uow:
        await uow.campaigns.save(campaign("alpha"))
        await uow.campaigns.save(campaign("alpha", "c-2"))
        await uow.rules.save(rule("alpha"))
    async with store.unit("Beta") as uow:
        await uow.rules.save(rule("Beta"))
    async with store.unit("only-creatives") as uow:
        await uow.creatives.save(creative("only-creatives"))
    async with store.unit("only-operations") as uow:
        await uow.operations.record(operation("only-operations"))
    assert await store.list_tenants() == ["Beta", "alpha", "zeta"]  # by code point
