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
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from roasloop.decisions.rules import CompiledRule, Effect, Outcome, RuleDecision, reason
from roasloop.domain.enums import EntityLevel, OperationState, Platform
from roasloop.domain.models import Operation, RuleExecution
from roasloop.errors import RoasloopError
from roasloop.i18n import render
from roasloop.ports.notify import WebhookMessage, WebhookSender
from roasloop.services.budget_limits import locked_budgets
from roasloop.services.common import Deps, RequestContext, sortable_id
from roasloop.services.oplog import Write, logged_write, record, settle
from roasloop.services.rules.notify import settings_secret
from roasloop.services.rules.results import DecisionResult, ExecutionResult
from roasloop.services.writes import change_of, send_change

ORDER = {Effect.PAUSE: 0, Effect.BUDGET: 1, Effect.BID: 1, Effect.UNPAUSE: 3}
_SENDABLE = (ExecutionResult.PENDING, ExecutionResult.PREVIEW)


def result_of(rule: CompiledRule, decision: RuleDecision, dry_run: bool) -> DecisionResult:
    """The result before any write: previews say ``preview``; stopped entries say why."""
    if decision.outcome is not Outcome.APPLY:
        return DecisionResult(rule, decision, ExecutionResult.of(decision.outcome))
    pending = ExecutionResult.PREVIEW if dry_run else ExecutionResult.PENDING
    return DecisionResult(rule, decision, pending)


async def hold_platform_limits(
    deps: Deps, ctx: RequestContext, results: Sequence[DecisionResult]
) -> list[DecisionResult]:
    """``results`` with the ad-set budget changes the platform would refuse this hour (Meta
    allows four) made ``held_platform_limit``, with the time it accepts one again."""
    by_platform: dict[Platform, list[int]] = defaultdict(list)
    for index, r in enumerate(results):
        d = r.decision
        if r.result in _SENDABLE and d.effect is Effect.BUDGET and d.level is EntityLevel.ADSET:
            by_platform[Platform(d.platform)].append(index)
    held = list(results)
    for platform, group in by_platform.items():
        try:
            adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
        except RoasloopError:
            continue  # the write itself reports the missing account
        ids = (results[i].decision.object_id for i in group)
        locked = await locked_budgets(deps, ctx, adapter, ids)
        for i in group:
            retry_at = locked.get(results[i].decision.object_id)
            if retry_at is not None:
                held[i] = replace(
                    results[i], result=ExecutionResult.HELD_PLATFORM_LIMIT, retry_at=retry_at
                )
    return held


async def apply_results(
    deps: Deps,
    ctx: RequestContext,
    results: Sequence[DecisionResult],
    webhook: WebhookSender,
) -> list[DecisionResult]:
    """Send the pending writes and notifications; ``results`` with what became of each."""
    applied = list(results)
    pending = [i for i, r in enumerate(results) if r.result is ExecutionResult.PENDING]
    writes = sorted(
        (i for i in pending if results[i].decision.effect in ORDER),
        key=lambda i: _order(results[i].decision),
    )
    planned = [
        (i, await record(deps, ctx, _write(results[i]), OperationState.PLANNED)) for i in writes
    ]
    for i, operation in planned:
        applied[i] = await _send(deps, ctx, results[i], operation)
    by_rule: dict[str, list[int]] = defaultdict(list)
    for i in pending:
        if results[i].decision.effect is Effect.NOTIFY:
            by_rule[results[i].decision.rule_id].append(i)
    for _, group in sorted(by_rule.items()):
        notified = await _notify(deps, ctx, [results[i] for i in group], webhook)
        for i, result in zip(group, notified, strict=True):
            applied[i] = result
    return applied


def _order(decision: RuleDecision) -> tuple[int, str]:
    """Cuts before raises: a failure half-way leaves less spend running, not more."""
    d = decision
    old, new = (d.old_bid, d.new_bid) if d.effect is Effect.BID else (d.old_budget, d.new_budget)
    raising = d.effect in (Effect.BUDGET, Effect.BID) and (new or 0) > (old or 0)
    return (2 if raising else ORDER[d.effect]), d.object_id


def _write(result: DecisionResult) -> Write:
    """The log entry of one decision: ``before``/``after`` keyed by the field it changes."""
    decision = result.decision
    text = reason_text(result.rule, decision, "en")
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


async def _send(
    deps: Deps, ctx: RequestContext, result: DecisionResult, operation: Operation
) -> DecisionResult:
    d = result.decision
    platform = Platform(d.platform)
    logged = replace(result, operation_id=operation.operation_id)
    try:
        adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    except RoasloopError as error:
        await settle(deps, ctx, operation, error=error)
        return replace(logged, result=ExecutionResult.FAILED, error_code=error.code)
    change = change_of(d.level, d.object_id, _after(d))
    assert change is not None
    try:
        await send_change(deps, ctx, adapter, operation, change)
    except RoasloopError as error:
        return replace(logged, result=ExecutionResult.FAILED, error_code=error.code)
    return replace(logged, result=ExecutionResult.DONE)


async def _notify(
    deps: Deps, ctx: RequestContext, group: list[DecisionResult], webhook: WebhookSender
) -> list[DecisionResult]:
    rule, action = group[0].rule, group[0].decision.action
    if action.webhook_url is None:
        return [replace(r, result=ExecutionResult.NOTIFIED) for r in group]
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
        return [replace(r, result=ExecutionResult.FAILED, error_code=error.code) for r in group]
    return [replace(r, result=ExecutionResult.NOTIFIED, delivery_id=run_id) for r in group]


def _payload(
    deps: Deps, ctx: RequestContext, rule: CompiledRule, group: list[DecisionResult], delivery: str
) -> dict[str, object]:
    """The webhook's JSON body."""
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
    deps: Deps, ctx: RequestContext, results: Sequence[DecisionResult], run_id: str
) -> list[DecisionResult]:
    """One ``RuleExecution`` per decision ("keep" matches excluded), all in one unit of
    work; ``results`` with their execution ids."""
    recorded = []
    executions = []
    for r in results:
        d = r.decision
        if d.effect is Effect.KEEP:
            recorded.append(r)
            continue
        execution_id = sortable_id("exec")
        executions.append(
            RuleExecution(
                execution_id=execution_id,
                rule_id=d.rule_id,
                tenant_id=ctx.tenant_id,
                executed_at=deps.clock.now(),
                object_id=d.object_id,
                matched=True,
                values=_values(r, run_id),
                action=d.action.type.value,
                before=_before(d),
                after=_after(d) if r.result is ExecutionResult.DONE else {},
                result=r.label,
                reason=reason_text(r.rule, d, "en"),
            )
        )
        recorded.append(replace(r, execution_id=execution_id))
    async with deps.store.unit(ctx.tenant_id) as uow:
        for execution in executions:
            await uow.rules.record_execution(execution)
    return recorded


def _values(r: DecisionResult, run_id: str) -> dict[str, object]:
    """What the stored execution keeps beside before/after: the run, the values seen, and
    what became of the decision."""
    d = r.decision
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
        **_progress(r),
    }


def _progress(r: DecisionResult) -> dict[str, str]:
    """The ids and times the run attached to the decision (in the order it attaches them)."""
    attached = {
        "retry_at": r.retry_at.isoformat(timespec="minutes") if r.retry_at else None,
        "operation_id": r.operation_id,
        "code": r.error_code,
        "delivery_id": r.delivery_id,
    }
    return {key: value for key, value in attached.items() if value is not None}


def _before(d: RuleDecision) -> dict[str, str]:
    if d.effect is Effect.BUDGET:
        return {"daily_budget": str(d.old_budget)}
    if d.effect is Effect.BID:
        return {"bid": str(d.old_bid)}
    if d.effect in (Effect.PAUSE, Effect.UNPAUSE):
        return {"status": d.status}
    return {}


def _after(d: RuleDecision) -> dict[str, str]:
    if d.effect is Effect.BUDGET:
        return {"daily_budget": str(d.new_budget)}
    if d.effect is Effect.BID:
        return {"bid": str(d.new_bid)}
    if d.effect is Effect.PAUSE:
        return {"status": "paused"}
    if d.effect is Effect.UNPAUSE:
        return {"status": "active"}
    return {}
