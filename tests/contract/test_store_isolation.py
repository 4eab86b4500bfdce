"""Tenant isolation: no read or write of one tenant ever reaches another's rows."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform, QueueStatus
from roasloop.errors import NotFound
from roasloop.ports.store import Document
from roasloop.store import SqlAlchemyStore
from tests.contract.records import (
    D0,
    T0,
    TIKTOK,
    ab_test,
    account,
    ad,
    adset,
    campaign,
    creative,
    execution,
    operation,
    perf,
    queue_item,
    rule,
)

#: Tenant ids as users send them: any printable text (PostgreSQL refuses NUL in text).
tenant_ids = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=30,
)
per_example = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


async def populate(store: SqlAlchemyStore, tenant: str, label: str = "") -> None:
    """One record of every kind for ``tenant``, with fixed ids; ``label`` marks the values."""
    async with store.unit(tenant) as uow:
        await uow.accounts.save(account(tenant, name=label))
        await uow.creatives.save(replace(creative(tenant), name=label))
        await uow.creatives.save_media_ref("cr-1", TIKTOK, "acc-1", f"media-{label}")
        await uow.campaigns.save(campaign(tenant, name=label))
        await uow.campaigns.save_adset(adset(tenant, name=label))
        await uow.campaigns.save_ads([ad(tenant, name=label)])
        await uow.performance.upsert([perf(tenant, adset_id=label or "as-1")])
        await uow.documents.save("status", "c-1", {"label": label}, T0)
        await uow.operations.record(operation(tenant, reason=label))
        await uow.plans.save("key-1", {"label": label}, T0)
        await uow.rules.save(rule(tenant, name=label))
        await uow.rules.record_execution(execution(tenant, reason=label))
        await uow.ab_tests.save(ab_test(tenant, name=label))
        await uow.queue.enqueue(queue_item(tenant, mode=label or "manual"))
        await uow.leases.acquire("lease-1", f"owner-{label}", T0, T0 + timedelta(minutes=5))


async def view(store: SqlAlchemyStore, tenant: str) -> dict[str, Any]:
    """Everything ``tenant`` can read through every read method."""
    async with store.unit(tenant) as uow:
        return {
            "account": await uow.accounts.get(TIKTOK),
            "creative": await uow.creatives.get("cr-1"),
            "creatives": await uow.creatives.all(),
            "creatives_by_id": await uow.creatives.get_many(["cr-1"]) or None,
            "media": await uow.creatives.get_media_ref("cr-1", TIKTOK, "acc-1"),
            "campaign": await uow.campaigns.get(TIKTOK, "c-1"),
            "campaigns": await uow.campaigns.all(),
            "adset": await uow.campaigns.get_adset(TIKTOK, "as-1"),
            "adsets": await uow.campaigns.list_adsets(TIKTOK, "c-1"),
            "ads": await uow.campaigns.list_ads(TIKTOK, "c-1"),
            "performance": await uow.performance.for_campaign(TIKTOK, "c-1", D0, D0),
            "document": await uow.documents.get("status", "c-1"),
            "operations": await uow.operations.find(),
            "plan": await uow.plans.get("key-1"),
            "rule": await uow.rules.get("r-1"),
            "rules": await uow.rules.all(),
            "executions": await uow.rules.list_executions("r-1"),
            "ab_test": await uow.ab_tests.get("ab-1"),
            "queue": await uow.queue.items(),
        }


def nothing(seen: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``seen`` that are not empty (should be none)."""
    return {name: value for name, value in seen.items() if value not in (None, [])}


@per_example
@given(owner=tenant_ids, other=tenant_ids)
async def test_another_tenant_sees_nothing(store: SqlAlchemyStore, owner: str, other: str) -> None:
    # A fresh suffix per example: the store fixture lives across Hypothesis examples.
    run = uuid.uuid4().hex[:8]
    owner, other = f"{owner}-{run}-a", f"{other}-{run}-b"
    await populate(store, owner)
    assert nothing(await view(store, other)) == {}
    seen = await view(store, owner)
    assert set(nothing(seen)) == set(seen)
    assert seen["account"].access_token == f"act.{owner}.secret-token"
    assert owner in await store.list_tenants()
    assert other not in await store.list_tenants()


@per_example
@given(first=tenant_ids, second=tenant_ids)
async def test_same_ids_in_two_tenants_do_not_collide(
    store: SqlAlchemyStore, first: str, second: str
) -> None:
    run = uuid.uuid4().hex[:8]
    first, second = f"{first}-{run}-1", f"{second}-{run}-2"
    await populate(store, first, label="first")
    await populate(store, second, label="second")
    await populate(store, first, label="first")
    assert await view(store, first) == expected_view(first, "first")
    assert await view(store, second) == expected_view(second, "second")


def expected_view(tenant: str, label: str) -> dict[str, Any]:
    """What ``tenant`` should see after ``populate(store, tenant, label)``, built independently."""
    seen_campaign = campaign(tenant, name=label)
    seen_adset = adset(tenant, name=label)
    return {
        "account": account(tenant, name=label),
        "creative": replace(creative(tenant), name=label),
        "creatives": [replace(creative(tenant), name=label)],
        "creatives_by_id": {"cr-1": replace(creative(tenant), name=label)},
        "media": f"media-{label}",
        "campaign": seen_campaign,
        "campaigns": [seen_campaign],
        "adset": seen_adset,
        "adsets": [seen_adset],
        "ads": [ad(tenant, name=label)],
        "performance": [perf(tenant, adset_id=label)],
        "document": Document(payload={"label": label}, saved_at=T0),
        "operations": [operation(tenant, reason=label)],
        "plan": {"label": label},
        "rule": rule(tenant, name=label),
        "rules": [rule(tenant, name=label)],
        "executions": [execution(tenant, reason=label)],
        "ab_test": ab_test(tenant, name=label),
        "queue": [queue_item(tenant, mode=label)],
    }


async def test_writes_addressed_to_another_tenant_change_nothing(store: SqlAlchemyStore) -> None:
    await populate(store, "owner")
    before = await view(store, "owner")
    later = T0 + timedelta(hours=1)
    deleted = EntityStatus.DELETED
    async with store.unit("intruder") as uow:
        with pytest.raises(NotFound):
            await uow.campaigns.set_status(TIKTOK, EntityLevel.CAMPAIGN, "c-1", deleted, later)
        with pytest.raises(NotFound):
            await uow.campaigns.set_status(TIKTOK, EntityLevel.AD, "ad-1", deleted, later)
        with pytest.raises(NotFound):
            await uow.campaigns.set_adset_budget(TIKTOK, "as-1", Decimal("9999.00"), later)
        with pytest.raises(NotFound):
            await uow.operations.update("op-1", OperationState.FAILED, later)
        with pytest.raises(NotFound):
            await uow.operations.set_states(["op-1"], OperationState.FAILED, later)
        with pytest.raises(NotFound):
            await uow.operations.confirm_many([("op-1", "stolen")], later)
        with pytest.raises(NotFound):
            await uow.queue.set_status("q-1", QueueStatus.LAUNCHED, later)
        await uow.leases.release("lease-1", "owner-")  # another tenant's lease: untouched
        assert await uow.leases.acquire("lease-1", "intruder", later, later)  # its own
    async with store.unit("owner") as uow:
        assert not await uow.leases.acquire("lease-1", "someone", T0, T0)
        assert await uow.accounts.get(Platform.META) is None
    assert await view(store, "owner") == before
