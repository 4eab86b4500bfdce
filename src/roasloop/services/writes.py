"""The one write path: a field change sent to the platform and mirrored in the store, and
guarded decisions applied through it, logged before and after.

Operation-log entries carry ``before``/``after`` values keyed by the field they change:
``status``, ``daily_budget`` (an ad set's budget, or a campaign's own campaign budget) or
``bid`` (an ad set's money bid). Applying a decision or a rule, undoing it and resuming after
a crash all go through these functions, so each field is written, compared and mirrored one
way. Decisions go to the log as ``planned`` before the first is sent, then each moves through
``sent`` to ``confirmed``/``failed``. Budgets are sent as absolute values (the entry's
``after``), never as "+20 %", so a write repeated after a crash cannot compound;
:mod:`roasloop.services.resume` settles what a crash left open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from roasloop.decisions.snapshot import BidDecision, BudgetDecision
from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform
from roasloop.domain.models import Operation
from roasloop.errors import RoasloopError
from roasloop.i18n import render
from roasloop.ports.platform import PlatformAdapter, RemoteObject
from roasloop.ports.store import CampaignRepository
from roasloop.services.budget_limits import period_key
from roasloop.services.common import Deps, RequestContext
from roasloop.services.oplog import Write, entry_for, record, send_planned, settle_in

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


async def mirror(deps: Deps, ctx: RequestContext, platform: Platform, change: FieldChange) -> None:
    """Record a change that landed in the store's copy (see :func:`mirror_in`)."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        await mirror_in(uow.campaigns, platform, change, deps.clock.now())


async def mirror_in(
    campaigns: CampaignRepository, platform: Platform, change: FieldChange, at: datetime
) -> None:
    """Record a change that landed, in the caller's unit of work. A status or ad-set budget
    of an object the store does not keep raises ``NotFound``; a campaign budget or a bid
    of one is left alone."""
    level, object_id = change.level, change.object_id
    if change.field == "status":
        await campaigns.set_status(platform, level, object_id, EntityStatus(change.value), at)
    elif change.field == "daily_budget" and level is EntityLevel.ADSET:
        await campaigns.set_adset_budget(platform, object_id, change.amount, at)
    elif change.field == "daily_budget":
        campaign = await campaigns.get(platform, object_id)
        if campaign is not None:
            await campaigns.save(replace(campaign, daily_budget=change.amount, updated_at=at))
    else:
        adset = await campaigns.get_adset(platform, object_id)
        if adset is not None:
            await campaigns.save_adset(replace(adset, bid_amount=change.amount, updated_at=at))


def shows(remote: RemoteObject, change: FieldChange) -> bool:
    """Whether the platform's object already has the changed value."""
    if change.field == "status":
        return remote.status.value == change.value
    current = remote.bid if change.field == "bid" else remote.daily_budget
    return current is not None and current == change.amount


PAUSED = EntityStatus.PAUSED


def decision_write(platform: Platform, decision: BudgetDecision, key: str = "") -> Write:
    """The log entry of one decision: a pause or an absolute budget."""
    reason = render(decision.reason_key, "en", **decision.reason_params)
    if decision.new_budget is None:
        before, after, action = {"status": "active"}, {"status": "paused"}, "pause"
    else:
        before = {"daily_budget": str(decision.old_budget)}
        after = {"daily_budget": str(decision.new_budget)}
        action = decision.action
    return Write(platform, EntityLevel.ADSET, decision.adset_id, action, before, after, reason, key)


async def apply_bid(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    decision: BidDecision,
    key: str = "",
) -> None:
    """Set an ad set's new money bid (logged before and after, mirrored in the store)."""
    reason = render(decision.reason_key, "en", **decision.reason_params)
    before, after = {"bid": str(decision.old_bid)}, {"bid": str(decision.new_bid)}
    write = Write(
        adapter.platform,
        EntityLevel.ADSET,
        decision.adset_id,
        "raise_bid",
        before,
        after,
        reason,
        key,
    )
    change = FieldChange(EntityLevel.ADSET, decision.adset_id, "bid", str(decision.new_bid))
    await write_change(deps, ctx, adapter, write, change)


async def write_change(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, write: Write, change: FieldChange
) -> None:
    """Log ``write``, make ``change`` on the platform, settle the entry, mirror the change."""
    await send_change(deps, ctx, adapter, await record(deps, ctx, write), change)


async def send_change(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    operation: Operation,
    change: FieldChange,
) -> None:
    """Move a logged entry through ``change`` on the platform; mirror it once it landed.

    Raises the adapter's errors (the entry is then ``failed`` and nothing is mirrored).
    """
    await send_planned(deps, ctx, operation, lambda: send(adapter, change))
    await mirror(deps, ctx, adapter.platform, change)


async def apply_planned(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    operation: Operation,
    decision: BudgetDecision,
) -> None:
    """Send one logged decision and mirror its effect in the store."""
    await send_change(deps, ctx, adapter, operation, decision_change(decision))


def decision_change(decision: BudgetDecision) -> FieldChange:
    """The field a budget decision changes: the ad set's budget, or its status (a pause)."""
    adset_id = decision.adset_id
    if decision.new_budget is None:
        return FieldChange(EntityLevel.ADSET, adset_id, "status", EntityStatus.PAUSED.value)
    return FieldChange(EntityLevel.ADSET, adset_id, "daily_budget", str(decision.new_budget))


async def apply_decisions(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    decisions: Sequence[BudgetDecision],
    kind: str,
) -> set[str]:
    """Apply a cycle's decisions with as few platform calls as the platform allows.

    Each entry carries ``kind``'s period key (see :mod:`roasloop.services.budget_limits`).
    All are logged ``planned`` first, then ``sent`` together; budgets go through
    ``update_budgets`` (batched where the platform batches) and pauses through one
    ``set_status``. Each entry is settled with its own outcome. Returns the ad sets changed.
    """
    if not decisions:
        return set()
    today = deps.clock.today()
    entries = [
        entry_for(
            deps,
            ctx,
            decision_write(adapter.platform, d, period_key(kind, today, d.adset_id)),
            OperationState.PLANNED,
        )
        for d in decisions
    ]
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.operations.record_many(entries)
        ids = [e.operation_id for e in entries]
        await uow.operations.set_states(ids, OperationState.SENT, deps.clock.now())
    pairs = list(zip(entries, decisions, strict=True))
    changed = await _send_budgets(
        deps, ctx, adapter, [p for p in pairs if p[1].new_budget is not None]
    )
    changed |= await _send_pauses(deps, ctx, adapter, [p for p in pairs if p[1].new_budget is None])
    return changed


async def _send_budgets(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    pairs: list[tuple[Operation, BudgetDecision]],
) -> set[str]:
    if not pairs:
        return set()
    changes = [(d.adset_id, d.new_budget) for _, d in pairs if d.new_budget is not None]
    try:
        outcomes = await adapter.update_budgets(changes)
    except RoasloopError as error:
        outcomes = [error] * len(pairs)
    return await _settle_and_mirror(deps, ctx, adapter, pairs, outcomes)


async def _send_pauses(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    pairs: list[tuple[Operation, BudgetDecision]],
) -> set[str]:
    if not pairs:
        return set()
    error: RoasloopError | None = None
    try:
        await adapter.set_status(EntityLevel.ADSET, [d.adset_id for _, d in pairs], PAUSED)
    except RoasloopError as failure:
        error = failure
    return await _settle_and_mirror(deps, ctx, adapter, pairs, [error] * len(pairs))


async def _settle_and_mirror(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    pairs: list[tuple[Operation, BudgetDecision]],
    outcomes: Sequence[RoasloopError | None],
) -> set[str]:
    """Settle each entry with its outcome and mirror in the store what landed (its ad
    sets), one unit of work per decision."""
    changed = set()
    for (entry, decision), outcome in zip(pairs, outcomes, strict=True):
        now = deps.clock.now()
        async with deps.store.unit(ctx.tenant_id) as uow:
            await settle_in(uow.operations, entry, now, error=outcome)
            if outcome is None:
                await mirror_in(uow.campaigns, adapter.platform, decision_change(decision), now)
                changed.add(decision.adset_id)
    return changed
