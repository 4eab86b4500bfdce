"""One field of one object changed on the platform, and the same change mirrored in the store.

Operation-log entries carry ``before``/``after`` values keyed by the field they change:
``status``, ``daily_budget`` (an ad set's budget, or a campaign's own campaign budget) or
``bid`` (an ad set's money bid). Applying a rule, undoing it and resuming after a crash all
go through these functions, so each field is written, compared and mirrored one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.ports.platform import PlatformAdapter, RemoteObject
from roasloop.ports.store import Store

FIELDS = ("bid", "daily_budget", "status")
MONEY_FIELDS = frozenset({"bid", "daily_budget"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """Set ``field`` of one object to ``value`` (an absolute value, so repeating is safe)."""

    level: EntityLevel
    object_id: str
    field: str
    value: str

    @property
    def amount(self) -> Decimal:
        return Decimal(self.value)


def change_of(level: EntityLevel, object_id: str, values: Mapping[str, Any]) -> FieldChange | None:
    """The change an entry's ``after`` (or an execution's ``before``) describes, if any."""
    field = next((f for f in FIELDS if f in values), None)
    if field is None:
        return None
    return FieldChange(level, object_id, field, str(values[field]))


async def send(adapter: PlatformAdapter, change: FieldChange) -> None:
    """Make ``change`` on the platform (raises the adapter's errors)."""
    if change.field == "bid":
        await adapter.update_bid(change.object_id, change.amount)
    elif change.field == "daily_budget" and change.level is EntityLevel.CAMPAIGN:
        await adapter.update_campaign_budget(change.object_id, change.amount)
    elif change.field == "daily_budget":
        await adapter.update_budget(change.object_id, change.amount)
    else:
        await adapter.set_status(change.level, [change.object_id], EntityStatus(change.value))


async def mirror(
    store: Store, tenant_id: str, platform: Platform, change: FieldChange, at: datetime
) -> None:
    """Record a change that landed; objects roasloop does not keep are left alone."""
    level, object_id = change.level, change.object_id
    if change.field == "status":
        await store.set_status(
            tenant_id, platform, level, object_id, EntityStatus(change.value), at
        )
    elif change.field == "daily_budget" and level is EntityLevel.ADSET:
        await store.set_adset_budget(tenant_id, platform, object_id, change.amount, at)
    elif change.field == "daily_budget":
        campaign = await store.get_campaign(tenant_id, platform, object_id)
        if campaign is not None:
            await store.save_campaign(replace(campaign, daily_budget=change.amount, updated_at=at))
    else:
        adset = await store.get_adset(tenant_id, platform, object_id)
        if adset is not None:
            await store.save_adset(replace(adset, bid_amount=change.amount, updated_at=at))


def shows(remote: RemoteObject, change: FieldChange) -> bool:
    """Whether the platform's object already has the changed value."""
    if change.field == "status":
        return remote.status.value == change.value
    current = remote.bid if change.field == "bid" else remote.daily_budget
    return current is not None and current == change.amount
