"""Undo: put an object back to the ``before`` values of one applied rule execution.

Only an execution whose result is ``done`` can be undone, once, and only while the object
still shows that execution's ``after`` values (otherwise a later change would be silently
overwritten). The restore goes through the operation log like any write and is recorded
as a ``RuleExecution`` with action ``undo``; budgets (an ad set's or a campaign's own),
bids and statuses are restored. Restoring a previous value is not a new decision, so the
step cap does not apply to it (the platform minimum still does, on the platform's side).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from roasloop.domain.enums import EntityLevel, Platform
from roasloop.domain.models import RuleExecution
from roasloop.errors import InvalidParameter, NotFound
from roasloop.i18n import render
from roasloop.ports.store import CampaignRepository
from roasloop.services.common import Deps, RequestContext, sortable_id
from roasloop.services.oplog import Write
from roasloop.services.rules.results import ExecutionUndone
from roasloop.services.writes import MONEY_FIELDS, change_of, write_change
from roasloop.translations import N_


async def undo_execution(
    deps: Deps, ctx: RequestContext, rule_id: str, execution_id: str | None
) -> ExecutionUndone:
    async with deps.store.unit(ctx.tenant_id) as uow:
        history = await uow.rules.list_executions(rule_id, 100_000)
    undone = {
        str(e.values.get("undoes")) for e in history if e.action == "undo" and e.result == "done"
    }
    target = _pick(history, execution_id, undone)
    level = EntityLevel(str(target.values.get("level", "adset")))
    platform = Platform(str(target.values.get("platform", "tiktok")))
    await _check_current(deps, ctx, target, level, platform)
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    reason = render("rule_undo", "en", execution_id=target.execution_id)
    write = Write(
        platform, level, target.object_id, "undo", dict(target.after), dict(target.before), reason
    )
    change = change_of(level, target.object_id, target.before)
    if change is None:
        raise InvalidParameter("execution_id", N_("this execution recorded nothing to restore"))
    await write_change(deps, ctx, adapter, write, change)
    undo = replace(
        target,
        execution_id=sortable_id("exec"),
        executed_at=deps.clock.now(),
        values={
            **{k: target.values.get(k) for k in ("level", "platform", "campaign_id")},
            "undoes": target.execution_id,
        },
        action="undo",
        before=dict(target.after),
        after=dict(target.before),
        result="done",
        reason=reason,
    )
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.rules.record_execution(undo)
    return ExecutionUndone(
        rule_id, target.execution_id, undo.execution_id, target.object_id, dict(target.before)
    )


def _pick(
    history: list[RuleExecution], execution_id: str | None, undone: set[str]
) -> RuleExecution:
    if execution_id is None:
        done = [
            e
            for e in history
            if e.result == "done"
            and e.action != "undo"
            and e.execution_id not in undone
            and e.before
        ]
        if not done:
            raise NotFound(
                N_("no applied change of this rule to undo"), details={"field": "execution_id"}
            )
        return done[-1]
    match = next((e for e in history if e.execution_id == execution_id), None)
    if match is None:
        raise NotFound(
            N_("execution {execution_id}"),
            details={"field": "execution_id"},
            detail_params={"execution_id": execution_id},
        )
    if match.result != "done" or match.action == "undo" or not match.before:
        raise InvalidParameter(
            "execution_id",
            N_("nothing to undo: its result is {result}"),
            detail_params={"result": repr(match.result)},
        )
    if execution_id in undone:
        raise InvalidParameter("execution_id", N_("this execution was already undone"))
    return match


async def _check_current(
    deps: Deps, ctx: RequestContext, target: RuleExecution, level: EntityLevel, platform: Platform
) -> None:
    current = _comparable(await _current(deps, ctx, target, level, platform))
    if current != _comparable(target.after):
        raise InvalidParameter(
            "execution_id",
            N_(
                "{object_id} changed since this execution (now {current}); undo would "
                "overwrite a later change"
            ),
            detail_params={"object_id": target.object_id, "current": _shown(current)},
        )


def _shown(values: Mapping[str, object]) -> str:
    """``daily_budget 52.00, status paused``: values as a person reads them."""
    return ", ".join(f"{key} {value}" for key, value in values.items())


def _comparable(values: Mapping[str, object]) -> dict[str, Decimal | str]:
    return {k: Decimal(str(v)) if k in MONEY_FIELDS and v else str(v) for k, v in values.items()}


async def _current(
    deps: Deps, ctx: RequestContext, target: RuleExecution, level: EntityLevel, platform: Platform
) -> dict[str, str]:
    async with deps.store.unit(ctx.tenant_id) as uow:
        return await _stored_values(uow.campaigns, target, level, platform)


async def _stored_values(
    stored: CampaignRepository, target: RuleExecution, level: EntityLevel, platform: Platform
) -> dict[str, str]:
    object_id = target.object_id
    if level is EntityLevel.ADSET:
        adset = await stored.get_adset(platform, object_id)
        if adset is None:
            return {}
        return _pick_keys(
            target, str(adset.daily_budget), adset.status.value, str(adset.bid_amount or "")
        )
    if level is EntityLevel.CAMPAIGN:
        campaign = await stored.get(platform, object_id)
        return (
            {}
            if campaign is None
            else _pick_keys(target, str(campaign.daily_budget), campaign.status.value)
        )
    ads = await stored.list_ads(platform, str(target.values.get("campaign_id", "")))
    ad = next((a for a in ads if a.ad_id == object_id), None)
    return {} if ad is None else _pick_keys(target, "", ad.status.value)


def _pick_keys(target: RuleExecution, budget: str, status: str, bid: str = "") -> dict[str, str]:
    values = {"daily_budget": budget, "status": status, "bid": bid}
    return {k: values[k] for k in target.after if k in values}
