"""Use cases: create_rule (validated, stored) and check_rules (evaluate, act, log)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from roasloop.decisions.guards import guard
from roasloop.decisions.rules import RuleHit, RuleSpec, evaluate, parse_rule
from roasloop.domain.enums import Platform, Trigger
from roasloop.domain.models import Rule, RuleExecution
from roasloop.errors import RoasloopError
from roasloop.i18n import both, render
from roasloop.services.actions import apply_decision
from roasloop.services.budget import build_snapshots
from roasloop.services.common import Deps, RequestContext, new_id, sortable_id
from roasloop.services.reports import sync_reports

JSON = dict[str, Any]
#: The seed checks rules every 6 hours.
DEFAULT_CHECK_INTERVAL_SECONDS = 6 * 3600


async def create_rule(
    deps: Deps,
    ctx: RequestContext,
    *,
    name: str,
    condition: JSON,
    action: JSON,
    applies_to: JSON,
    check_interval_seconds: int = DEFAULT_CHECK_INTERVAL_SECONDS,
) -> JSON:
    parse_rule(condition, action, applies_to)
    rule = Rule(
        rule_id=new_id("rule"),
        tenant_id=ctx.tenant_id,
        name=name,
        condition=condition,
        action=action,
        applies_to=applies_to,
        check_interval_seconds=check_interval_seconds,
        enabled=True,
        created_at=deps.clock.now(),
    )
    await deps.store.save_rule(rule)
    return {
        "status": "success",
        "rule_id": rule.rule_id,
        "rule_name": name,
        "enabled": True,
        "check_interval_seconds": check_interval_seconds,
        "messages": both("rule_created"),
    }


async def check_rules(deps: Deps, ctx: RequestContext, *, due_only: bool = False) -> JSON:
    """Evaluate the tenant's enabled rules over its campaigns; apply and log what fires."""
    rules = await deps.store.list_rules(ctx.tenant_id, enabled_only=True)
    now = deps.clock.now()
    if due_only:
        rules = [r for r in rules if _due(r, now)]
    rule_ctx = replace(ctx, trigger=Trigger.RULE)
    notifications: list[JSON] = []
    for rule in rules:
        notifications += await _check_one(deps, rule_ctx, rule)
        await deps.store.save_rule(replace(rule, last_checked_at=now))
    triggered = len({n["rule_id"] for n in notifications})
    return {
        "status": "success",
        "checked": len(rules),
        "triggered": triggered,
        "notifications": notifications,
        "messages": both("rules_checked", checked=len(rules), triggered=triggered),
    }


def _due(rule: Rule, now: Any) -> bool:
    last = rule.last_checked_at
    return last is None or now - last >= timedelta(seconds=rule.check_interval_seconds)


async def _check_one(deps: Deps, ctx: RequestContext, rule: Rule) -> list[JSON]:
    spec = parse_rule(rule.condition, rule.action, rule.applies_to)
    notes: list[JSON] = []
    for campaign in await deps.store.list_campaigns(ctx.tenant_id):
        if spec.campaign_ids and campaign.campaign_id not in spec.campaign_ids:
            continue
        adapter = await deps.adapters.adapter_for(ctx.tenant_id, campaign.platform)
        await sync_reports(deps, ctx, adapter, campaign)
        snapshots = await build_snapshots(deps, ctx, campaign)
        hits = [h for h in evaluate(spec, campaign.campaign_id, snapshots) if h.matched]
        for hit in hits:
            notes.append(await _act(deps, ctx, rule, spec, campaign.platform, hit))  # noqa: PERF401
    return notes


async def _act(
    deps: Deps, ctx: RequestContext, rule: Rule, spec: RuleSpec, platform: Platform, hit: RuleHit
) -> JSON:
    assert hit.decision is not None
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    decision = guard(
        hit.decision, deps.settings.budget_change_cap, adapter.capabilities.min_adset_daily_budget
    )
    params = {**(decision or hit.decision).reason_params, "rule": rule.name}
    result = "skipped"
    if decision is not None and spec.action != "notify":
        try:
            await apply_decision(deps, ctx, adapter, replace(decision, reason_params=params))
            result = "done"
        except RoasloopError as error:
            result = f"failed:{error.code}"
    elif spec.action == "notify":
        result = "notified"
    await _log(deps, ctx, rule, hit, decision, result, render("reason_rule", "en", **params))
    return {
        "rule_id": rule.rule_id,
        "rule_name": rule.name,
        "adset_id": hit.adset_id,
        "action": spec.action,
        "actual": None if hit.actual is None else float(hit.actual),
        "result": result,
        "messages": both("reason_rule", **params),
    }


async def _log(
    deps: Deps,
    ctx: RequestContext,
    rule: Rule,
    hit: RuleHit,
    decision: Any,
    result: str,
    reason: str,
) -> None:
    before = {"daily_budget": str(hit.decision.old_budget)} if hit.decision else {}
    after = {"daily_budget": str(decision.new_budget)} if decision and decision.new_budget else {}
    await deps.store.record_rule_execution(
        RuleExecution(
            execution_id=sortable_id("exec"),
            rule_id=rule.rule_id,
            tenant_id=ctx.tenant_id,
            executed_at=deps.clock.now(),
            object_id=hit.adset_id,
            matched=hit.matched,
            values={"actual": None if hit.actual is None else str(hit.actual)},
            action=str(rule.action.get("type")),
            before=before,
            after=after,
            result=result,
            reason=reason,
        )
    )
