"""The guard before any decided budget write: the platform's hourly limit, once per period.

Meta refuses a fifth budget change within an hour and then locks the ad set's budget for a
whole hour, so roasloop holds such a change back instead of sending it: the operation log
already knows every budget write that reached (or may have reached) the platform.

A policy or the stage machine decides on complete days, so its decision for an ad set is
applied once per day (the period): each write carries a period key, and a rerun the same
day finds it in the log and sends nothing, instead of compounding 100 → 80 → 64.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from roasloop.decisions.snapshot import BudgetDecision
from roasloop.domain.enums import EntityLevel, OperationState
from roasloop.ports.platform import PlatformAdapter
from roasloop.services.common import Deps, RequestContext

WINDOW = timedelta(hours=1)
Finding = tuple[str, dict[str, Any]]
#: A write in ``sent`` may have reached the platform, so it counts.
_COUNTED = (OperationState.SENT, OperationState.CONFIRMED)
#: Who decided a write, in its period key: a budget policy or the stage machine.
POLICY_WRITES, STAGE_WRITES = "policy", "stage"


def period_key(kind: str, day: date, adset_id: str) -> str:
    """The idempotency key of ``kind``'s decision for one ad set on ``day``."""
    return f"{kind}:{day.isoformat()}:{adset_id}"


async def hold_back(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    decisions: Sequence[BudgetDecision],
    kind: str,
) -> tuple[list[BudgetDecision], list[Finding]]:
    """The decisions that may be sent now, and a finding for each one held back."""
    locked = await locked_budgets(deps, ctx, adapter, (d.adset_id for d in decisions))
    sendable, held = hold_locked(decisions, locked)
    done = await applied_this_period(deps, ctx, kind, [d.adset_id for d in sendable])
    held += [
        ("finding_already_applied", {"adset_id": d.adset_id, "day": deps.clock.today().isoformat()})
        for d in sendable
        if d.adset_id in done
    ]
    return [d for d in sendable if d.adset_id not in done], held


async def applied_this_period(
    deps: Deps, ctx: RequestContext, kind: str, adset_ids: Sequence[str]
) -> set[str]:
    """The ad sets that already had ``kind``'s write today (sent or confirmed)."""
    if not adset_ids:
        return set()
    today = deps.clock.today()
    start = datetime.combine(today, time(), tzinfo=UTC)
    keys = {period_key(kind, today, adset_id): adset_id for adset_id in adset_ids}
    async with deps.store.unit(ctx.tenant_id) as uow:
        entries = await uow.operations.find(states=_COUNTED, updated_since=start, limit=100_000)
    return {keys[e.idempotency_key] for e in entries if e.idempotency_key in keys}


async def locked_budgets(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, adset_ids: Iterable[str]
) -> dict[str, datetime]:
    """The ad sets among ``adset_ids`` whose next budget change the platform would refuse
    now, each with the moment it accepts one again."""
    limit = adapter.capabilities.budget_changes_per_hour
    wanted = set(adset_ids)
    if limit is None or not wanted:
        return {}
    now = deps.clock.now()
    async with deps.store.unit(ctx.tenant_id) as uow:
        entries = await uow.operations.find(
            states=_COUNTED, updated_since=now - WINDOW, limit=100_000
        )
    changes: dict[str, list[datetime]] = defaultdict(list)
    for entry in entries:
        if (
            entry.platform is adapter.platform
            and entry.object_level is EntityLevel.ADSET
            and entry.object_id in wanted
            and "daily_budget" in entry.after
        ):
            changes[entry.object_id].append(entry.updated_at or entry.created_at)
    return {
        adset_id: sorted(times)[len(times) - limit] + WINDOW
        for adset_id, times in changes.items()
        if len(times) >= limit
    }


def hold_locked(
    decisions: Sequence[BudgetDecision], locked: Mapping[str, datetime]
) -> tuple[list[BudgetDecision], list[Finding]]:
    """Split a cycle's decisions: those the platform accepts now, and a finding for each
    budget change held back (a pause is never held: it stops spend)."""
    sendable = [d for d in decisions if d.new_budget is None or d.adset_id not in locked]
    findings: list[Finding] = [
        (
            "finding_budget_change_limit",
            {"adset_id": d.adset_id, "retry_at": locked[d.adset_id].isoformat(timespec="minutes")},
        )
        for d in decisions
        if d.new_budget is not None and d.adset_id in locked
    ]
    return sendable, findings
