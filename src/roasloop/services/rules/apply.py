"""Act on a cycle's plan: platform writes through the operation log, webhooks, history.

Every write is logged ``planned`` before the first one is sent (a crash loses none and
:mod:`roasloop.services.resume` settles them), then sent in a safe order — pauses, budget
and bid cuts, budget and bid increases, unpauses — so a failure half-way never leaves more
spend running than planned. Budgets and bids are sent as absolute values. Each decision
(except "keep" matches) becomes a ``RuleExecution`` with the values seen, before/after,
reason and result.

Campaign-level budgets go to the campaign's own budget (TikTok campaign budget, Meta
CBO); a campaign without one (roasloop's own structures keep budgets on ad sets, and
Google has no campaign budgets) fails with the platform's refusal naming ``daily_budget``.
Bid changes move the ad set's money bid; ad sets without one are skipped by the engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from roasloop.decisions.rules import Effect, Outcome, RuleDecision, reason
from roasloop.decisions.rules import Rule as CompiledRule
from roasloop.domain.enums import EntityLevel, OperationState, Platform
from roasloop.domain.models import Operation, RuleExecution
from roasloop.errors import RoasloopError
from roasloop.i18n import render
from roasloop.services.budget_limits import locked_budgets
from roasloop.services.common import Deps, RequestContext, sortable_id
from roasloop.services.oplog import Write, logged_write, record, send_planned, settle
from roasloop.services.rules.notify import WebhookMessage, WebhookSender, settings_secret
from roasloop.services.writes import change_of, mirror, send

JSON = dict[str, Any]
ORDER = {Effect.PAUSE: 0, Effect.BUDGET: 1, Effect.BID: 1, Effect.UNPAUSE: 3}
_SENDABLE = ("pending", "preview")


@dataclass
class Result:
    """What became of one decision in this run."""

    decision: RuleDecision
    result: str
    detail: JSON = field(default_factory=dict)
    execution_id: str | None = None


def result_of(decision: RuleDecision, dry_run: bool) -> Result:
    """The result before any write: previews say ``preview``; stopped entries say why."""
    if decision.outcome is not Outcome.APPLY:
        return Result(decision, decision.outcome.label)
    return Result(decision, "preview" if dry_run else "pending")


async def hold_platform_limits(deps: Deps, ctx: RequestContext, results: Sequence[Result]) -> None:
    """Ad-set budget changes the platform would refuse this hour (Meta allows four) become
    ``held_platform_limit`` with the time it accepts one again (in place)."""
    by_platform: dict[Platform, list[Result]] = defaultdict(list)
    for r in results:
        d = r.decision
        if r.result in _SENDABLE and d.effect is Effect.BUDGET and d.level is EntityLevel.ADSET:
            by_platform[Platform(d.platform)].append(r)
    for platform, group in by_platform.items():
        try:
            adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
        except RoasloopError:
            continue  # the write itself reports the missing account
        locked = await locked_budgets(deps, ctx, adapter, (r.decision.object_id for r in group))
        for r in group:
            if r.decision.object_id in locked:
                r.result = "held_platform_limit"
                r.detail["retry_at"] = locked[r.decision.object_id].isoformat(timespec="minutes")


async def apply_results(
    deps: Deps,
    ctx: RequestContext,
    results: Sequence[Result],
    rules: Mapping[str, CompiledRule],
    webhook: WebhookSender,
) -> None:
    """Send the pending writes and notifications; fill in each result (in place)."""
    pending = [r for r in results if r.result == "pending"]
    writes = sorted(
        (r for r in pending if r.decision.effect in ORDER), key=lambda r: _order(r.decision)
    )
    planned = [
        (r, await record(deps, ctx, _write(r.decision, rules), OperationState.PLANNED))
        for r in writes
    ]
    for result, operation in planned:
        await _send(deps, ctx, result, operation)
    by_rule: dict[str, list[Result]] = defaultdict(list)
    for r in pending:
        if r.decision.effect is Effect.NOTIFY:
            by_rule[r.decision.rule_id].append(r)
    for rule_id, group in sorted(by_rule.items()):
        await _notify(deps, ctx, rules[rule_id], group, webhook)


def _order(decision: RuleDecision) -> tuple[int, str]:
    """Cuts before raises: a failure half-way leaves less spend running, not more."""
    d = decision
    old, new = (d.old_bid, d.new_bid) if d.effect is Effect.BID else (d.old_budget, d.new_budget)
    raising = d.effect in (Effect.BUDGET, Effect.BID) and (new or 0) > (old or 0)
    return (2 if raising else ORDER[d.effect]), d.object_id


def _write(decision: RuleDecision, rules: Mapping[str, CompiledRule]) -> Write:
    """The log entry of one decision: ``before``/``after`` keyed by the field it changes."""
    text = reason_text(rules[decision.rule_id], decision, "en")
    action = {Effect.PAUSE: "pause", Effect.UNPAUSE: "unpause"}.get(
        decision.effect, decision.action.type.value
    )
    return Write(
        Platform(decision.platform),
        decision.level,
        decision.object_id,
        action,
        _before(decision),
        _after(decision),
        text,
    )


async def _send(deps: Deps, ctx: RequestContext, result: Result, operation: Operation) -> None:
    d = result.decision
    platform = Platform(d.platform)
    result.detail["operation_id"] = operation.operation_id
    try:
        adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    except RoasloopError as error:
        await settle(deps, ctx, operation, error=error)
        result.result, result.detail["code"] = f"failed:{error.code}", error.code
        return
    change = change_of(d.level, d.object_id, _after(d))
    assert change is not None
    try:
        await send_planned(deps, ctx, operation, lambda: send(adapter, change))
    except RoasloopError as error:
        result.result, result.detail["code"] = f"failed:{error.code}", error.code
        return
    await mirror(deps.store, ctx.tenant_id, platform, change, deps.clock.now())
    result.result = "done"


async def _notify(
    deps: Deps, ctx: RequestContext, rule: CompiledRule, group: list[Result], webhook: WebhookSender
) -> None:
    action = group[0].decision.action
    if action.webhook_url is None:
        for r in group:
            r.result = "notified"
        return
    secret = action.webhook_secret or settings_secret(deps.settings) or ""
    run_id = sortable_id("delivery")
    payload = _payload(deps, ctx, rule, group, run_id)
    host = urlsplit(action.webhook_url).netloc
    text = render("rule_webhook", "en", rule=rule.name or rule.rule_id, url=host, count=len(group))
    first = group[0].decision
    write = Write(
        Platform(first.platform),
        first.level,
        rule.rule_id,
        "notify",
        {},
        {"webhook": host, "objects": len(group)},
        text,
    )
    message = WebhookMessage(action.webhook_url, secret, run_id, payload)
    try:
        await logged_write(deps, ctx, write, lambda: webhook(message))
    except RoasloopError as error:
        for r in group:
            r.result, r.detail["code"] = f"failed:{error.code}", error.code
        return
    for r in group:
        r.result = "notified"
        r.detail["delivery_id"] = run_id


def _payload(
    deps: Deps, ctx: RequestContext, rule: CompiledRule, group: list[Result], delivery: str
) -> JSON:
    return {
        "event": "rule.triggered",
        "delivery_id": delivery,
        "rule_id": rule.rule_id,
        "rule_name": rule.name,
        "tenant_id": ctx.tenant_id,
        "mode": deps.mode,
        "sent_at": deps.clock.now().isoformat(),
        "objects": [
            {
                "object_id": r.decision.object_id,
                "level": r.decision.level.value,
                "campaign_id": r.decision.campaign_id,
                "values": dict(r.decision.values),
                "reason": reason_text(rule, r.decision, "en"),
            }
            for r in group
        ],
    }


def reason_text(rule: CompiledRule, decision: RuleDecision, locale: str) -> str:
    key, params = reason(rule, decision)
    return render(key, locale, **params)


async def record_results(
    deps: Deps,
    ctx: RequestContext,
    results: Sequence[Result],
    rules: Mapping[str, CompiledRule],
    run_id: str,
) -> None:
    """One ``RuleExecution`` per decision ("keep" matches excluded)."""
    for r in results:
        d = r.decision
        if d.effect is Effect.KEEP:
            continue
        execution_id = sortable_id("exec")
        r.execution_id = execution_id
        await deps.store.record_rule_execution(
            RuleExecution(
                execution_id=execution_id,
                rule_id=d.rule_id,
                tenant_id=ctx.tenant_id,
                executed_at=deps.clock.now(),
                object_id=d.object_id,
                matched=True,
                values=_values(d, r, run_id),
                action=d.action.type.value,
                before=_before(d),
                after=_after(d) if r.result == "done" else {},
                result=r.result,
                reason=reason_text(rules[d.rule_id], d, "en"),
            )
        )


def _values(d: RuleDecision, r: Result, run_id: str) -> JSON:
    return {
        "run_id": run_id,
        "metrics": dict(d.values),
        "effect": d.effect.name.lower(),
        "level": d.level.value,
        "platform": d.platform,
        "campaign_id": d.campaign_id,
        "branch": d.branch,
        "related_object_id": d.related_object_id,
        "overridden_by": d.overridden_by,
        "notes": list(d.notes),
        "proposed": _after(d),
        **r.detail,
    }


def _before(d: RuleDecision) -> JSON:
    if d.effect is Effect.BUDGET:
        return {"daily_budget": str(d.old_budget)}
    if d.effect is Effect.BID:
        return {"bid": str(d.old_bid)}
    if d.effect in (Effect.PAUSE, Effect.UNPAUSE):
        return {"status": d.status}
    return {}


def _after(d: RuleDecision) -> JSON:
    if d.effect is Effect.BUDGET:
        return {"daily_budget": str(d.new_budget)}
    if d.effect is Effect.BID:
        return {"bid": str(d.new_bid)}
    if d.effect is Effect.PAUSE:
        return {"status": "paused"}
    if d.effect is Effect.UNPAUSE:
        return {"status": "active"}
    return {}
