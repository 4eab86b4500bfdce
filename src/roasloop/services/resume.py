"""Resume: settle the operation-log entries a crash left ``planned`` or ``sent``.

Nothing is sent again. For each open entry the platform's current state is compared with
the entry's ``after`` — a status, a budget (an ad set's or a campaign's own) or an ad
set's bid, read as :mod:`roasloop.services.writes` reads them: if the platform shows it,
the write landed (confirmed, and the store is brought in line); otherwise it did not
(failed, reason recorded) and the next optimization cycle decides afresh on fresh data.
An open create is looked up by its client key. So a crash between "decided" and "applied"
can never apply a change twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from roasloop.domain.enums import EntityLevel, OperationState
from roasloop.domain.models import Operation
from roasloop.errors import NotFound, RoasloopError
from roasloop.ports.platform import PlatformAdapter, RemoteObject
from roasloop.ports.store import CampaignRepository
from roasloop.services.common import Deps, RequestContext
from roasloop.services.writes import change_of, mirror_in, shows

OPEN = (OperationState.PLANNED, OperationState.SENT)


@dataclass(frozen=True, slots=True)
class Resumed:
    """How many entries were open, and how many of them turned out to have landed."""

    open_entries: int
    confirmed: int
    failed: int


async def resume_operations(deps: Deps, ctx: RequestContext) -> Resumed:
    """Settle every open entry of the tenant; return what happened to them."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        entries = await uow.operations.find(states=OPEN)
    outcomes: Counter[OperationState] = Counter()
    for entry in entries:
        outcomes[await _settle(deps, ctx, entry)] += 1
    confirmed, failed = outcomes[OperationState.CONFIRMED], outcomes[OperationState.FAILED]
    return Resumed(len(entries), confirmed, failed)


async def _settle(deps: Deps, ctx: RequestContext, entry: Operation) -> OperationState:
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, entry.platform)
    try:
        if entry.action.startswith("create_") or entry.action == "upload_media":
            landed, found_id = await _find_created(adapter, entry)
        else:
            landed, found_id = await _compare(deps, ctx, adapter, entry), None
    except RoasloopError as error:
        return await _close(deps, ctx, entry, False, f"platform check failed: {error.code}")
    reason = "the platform shows the change" if landed else "the platform does not show it"
    return await _close(deps, ctx, entry, landed, reason, found_id)


async def _find_created(adapter: PlatformAdapter, entry: Operation) -> tuple[bool, str | None]:
    if not entry.idempotency_key or entry.action == "upload_media":
        return False, None
    level = {"create_campaign": EntityLevel.CAMPAIGN, "create_adset": EntityLevel.ADSET}
    found = await adapter.find_by_client_key(
        level.get(entry.action, EntityLevel.AD), entry.idempotency_key
    )
    return found is not None, found


async def _compare(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, entry: Operation
) -> bool:
    change = change_of(entry.object_level, entry.object_id, entry.after)
    if change is None:
        return False
    current = await _current(deps, ctx, adapter, entry)
    return current is not None and shows(current, change)


async def _current(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, entry: Operation
) -> RemoteObject | None:
    if entry.object_level is EntityLevel.AD:
        return await _current_ad(deps, ctx, adapter, entry)
    campaign_id = entry.object_id
    if entry.object_level is EntityLevel.ADSET:
        async with deps.store.unit(ctx.tenant_id) as uow:
            adset = await uow.campaigns.get_adset(entry.platform, entry.object_id)
        if adset is None:
            return None
        campaign_id = adset.campaign_id
    tree = await adapter.get_campaign_tree(campaign_id)
    if entry.object_level is EntityLevel.CAMPAIGN:
        return tree.campaign
    pool = tree.adsets if entry.object_level is EntityLevel.ADSET else tree.ads
    return next((o for o in pool if o.object_id == entry.object_id), None)


async def _current_ad(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, entry: Operation
) -> RemoteObject | None:
    """An ad's state; the log does not keep its campaign, so look through the tenant's."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        campaigns = await uow.campaigns.all(entry.platform)
    for campaign in campaigns:
        tree = await adapter.get_campaign_tree(campaign.campaign_id)
        found = next((ad for ad in tree.ads if ad.object_id == entry.object_id), None)
        if found is not None:
            return found
    return None


async def _mirror(campaigns: CampaignRepository, entry: Operation, at: datetime) -> None:
    """Bring the store in line with a write that landed."""
    change = change_of(entry.object_level, entry.object_id, entry.after)
    if change is None or not entry.object_id:
        return
    try:
        await mirror_in(campaigns, entry.platform, change, at)
    except NotFound:
        return  # an object roasloop does not keep (nothing to mirror)


async def _close(
    deps: Deps,
    ctx: RequestContext,
    entry: Operation,
    landed: bool,
    reason: str,
    object_id: str | None = None,
) -> OperationState:
    """Settle ``entry`` and, if it landed, mirror it, in one unit of work."""
    state = OperationState.CONFIRMED if landed else OperationState.FAILED
    now = deps.clock.now()
    async with deps.store.unit(ctx.tenant_id) as uow:
        if landed:
            await _mirror(uow.campaigns, entry, now)
        await uow.operations.update(
            entry.operation_id,
            state,
            now,
            result={"resumed": True, "reason": reason},
            object_id=object_id,
        )
    return state
