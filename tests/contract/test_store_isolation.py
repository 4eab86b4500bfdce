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
from roasloop.ports.store import Snapshot
from roasloop.store import SqlAlchemyStore
from tests.contract.test_store_contract import (
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
    await store.save_account(account(tenant, name=label))
    await store.save_creative(replace(creative(tenant), name=label))
    await store.save_media_ref(tenant, "cr-1", TIKTOK, "acc-1", f"media-{label}")
    await store.save_campaign(campaign(tenant, name=label))
    await store.save_adset(adset(tenant, name=label))
    await store.save_ad(ad(tenant, name=label))
    await store.upsert_performance([perf(tenant, adset_id=label or "as-1")])
    await store.save_snapshot(tenant, "status", "c-1", {"label": label}, T0)
    await store.record_operation(operation(tenant, reason=label))
    await store.save_plan(tenant, "key-1", {"label": label}, T0)
    await store.save_rule(rule(tenant, name=label))
    await store.record_rule_execution(execution(tenant, reason=label))
    await store.save_ab_test(ab_test(tenant, name=label))
    await store.enqueue(queue_item(tenant, mode=label or "manual"))


async def view(store: SqlAlchemyStore, tenant: str) -> dict[str, Any]:
    """Everything ``tenant`` can read through every read method."""
    return {
        "account": await store.get_account(tenant, TIKTOK),
        "creative": await store.get_creative(tenant, "cr-1"),
        "creatives": await store.list_creatives(tenant),
        "media": await store.get_media_ref(tenant, "cr-1", TIKTOK, "acc-1"),
        "campaign": await store.get_campaign(tenant, TIKTOK, "c-1"),
        "campaigns": await store.list_campaigns(tenant),
        "adset": await store.get_adset(tenant, TIKTOK, "as-1"),
        "adsets": await store.list_adsets(tenant, TIKTOK, "c-1"),
        "ads": await store.list_ads(tenant, TIKTOK, "c-1"),
        "performance": await store.list_performance(tenant, TIKTOK, "c-1", D0, D0),
        "snapshot": await store.get_snapshot(tenant, "status", "c-1"),
        "operations": await store.list_operations(tenant),
        "plan": await store.get_plan(tenant, "key-1"),
        "rule": await store.get_rule(tenant, "r-1"),
        "rules": await store.list_rules(tenant),
        "executions": await store.list_rule_executions(tenant, "r-1"),
        "ab_test": await store.get_ab_test(tenant, "ab-1"),
        "queue": await store.list_queue(tenant),
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
        "media": f"media-{label}",
        "campaign": seen_campaign,
        "campaigns": [seen_campaign],
        "adset": seen_adset,
        "adsets": [seen_adset],
        "ads": [ad(tenant, name=label)],
        "performance": [perf(tenant, adset_id=label)],
        "snapshot": Snapshot(payload={"label": label}, taken_at=T0),
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
    with pytest.raises(NotFound):
        await store.set_status(
            "intruder", TIKTOK, EntityLevel.CAMPAIGN, "c-1", EntityStatus.DELETED, later
        )
    with pytest.raises(NotFound):
        await store.set_status(
            "intruder", TIKTOK, EntityLevel.AD, "ad-1", EntityStatus.DELETED, later
        )
    with pytest.raises(NotFound):
        await store.set_adset_budget("intruder", TIKTOK, "as-1", Decimal("9999.00"), later)
    with pytest.raises(NotFound):
        await store.update_operation("intruder", "op-1", OperationState.FAILED, later)
    with pytest.raises(NotFound):
        await store.set_queue_status("intruder", "q-1", QueueStatus.LAUNCHED, later)
    assert await view(store, "owner") == before
    assert await store.get_account("owner", Platform.META) is None
