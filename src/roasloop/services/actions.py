"""Applying one guarded decision through the adapter, logged, and mirrored in the store."""

from __future__ import annotations

from roasloop.decisions.snapshot import BudgetDecision
from roasloop.domain.enums import EntityLevel, EntityStatus
from roasloop.i18n import render
from roasloop.ports.platform import PlatformAdapter
from roasloop.services.common import Deps, RequestContext
from roasloop.services.oplog import logged_write


async def apply_decision(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, decision: BudgetDecision
) -> None:
    """Pause the ad set or set its new budget; the write is logged before and after."""
    reason = render(decision.reason_key, "en", **decision.reason_params)
    now = deps.clock.now
    if decision.new_budget is None:

        async def pause() -> None:
            await adapter.set_status(EntityLevel.ADSET, [decision.adset_id], EntityStatus.PAUSED)

        await logged_write(
            deps,
            ctx,
            platform=adapter.platform,
            level=EntityLevel.ADSET,
            object_id=decision.adset_id,
            action="pause",
            call=pause,
            before={"status": "active"},
            after={"status": "paused"},
            reason=reason,
        )
        await deps.store.set_status(
            ctx.tenant_id,
            adapter.platform,
            EntityLevel.ADSET,
            decision.adset_id,
            EntityStatus.PAUSED,
            now(),
        )
        return
    new_budget = decision.new_budget

    async def update() -> None:
        await adapter.update_budget(decision.adset_id, new_budget)

    await logged_write(
        deps,
        ctx,
        platform=adapter.platform,
        level=EntityLevel.ADSET,
        object_id=decision.adset_id,
        action=decision.action,
        call=update,
        before={"daily_budget": str(decision.old_budget)},
        after={"daily_budget": str(new_budget)},
        reason=reason,
    )
    await deps.store.set_adset_budget(
        ctx.tenant_id, adapter.platform, decision.adset_id, new_budget, now()
    )
