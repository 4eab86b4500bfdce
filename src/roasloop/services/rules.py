"""Use cases of the rule engine: create, preview, execute, check, history, enable, undo.

A cycle is: observe (refresh reports, build frames) → decide (pure
:func:`roasloop.decisions.rules.run_cycle`) → act (:mod:`.rules_apply`: operation log,
adapter, store) → record (one ``RuleExecution`` per decision). ``check_rules`` runs every
enabled (due) rule in one cycle, so conflicts between rules are resolved together;
``execute_rule`` runs one rule now (Meta's ``/execute``); ``preview_rule`` is the same cycle
without acting (Meta's ``/preview``).

Stored form: a seed-shaped rule keeps the seed's ``condition``/``action``/``applies_to``
dicts as they were given; a rich or preset rule stores its document under
``condition["rule_spec"]`` (with the first action's type in ``action`` and the scope in
``applies_to`` for display). Both compile through the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from roasloop.decisions.presets import load_preset
from roasloop.decisions.rules import (
    Outcome,
    is_seed_shape,
    parse_rule,
    run_cycle,
    seed_document,
)
from roasloop.decisions.rules import Rule as CompiledRule
from roasloop.domain.enums import Trigger
from roasloop.domain.models import Rule
from roasloop.errors import InvalidParameter
from roasloop.i18n import both
from roasloop.services.common import Deps, RequestContext, new_id, sortable_id
from roasloop.services.leases import campaign_lease, holding_all
from roasloop.services.rules_apply import (
    Result,
    apply_results,
    hold_platform_limits,
    record_results,
    result_of,
)
from roasloop.services.rules_data import (
    SPEC_KEY,
    compile_stored,
    load_ledger,
    observe,
    reachable,
    require_rule,
)
from roasloop.services.rules_format import describe, describe_execution, describe_rule
from roasloop.services.rules_notify import WebhookSender, default_sender, settings_secret
from roasloop.services.rules_undo import undo_execution
from roasloop.translations import N_

JSON = dict[str, Any]
#: The seed checks rules every 6 hours.
DEFAULT_CHECK_INTERVAL_SECONDS = 6 * 3600
RICH_PARTS = ("level", "window", "branches", "safeguards", "targets", "schedule")


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule as a caller gives it: a preset, the seed's three dicts, or rich parts."""

    name: str
    condition: JSON | None = None
    action: JSON | None = None
    applies_to: JSON | None = None
    preset: str | None = None
    parts: JSON = field(default_factory=dict)
    check_interval_seconds: int | None = None

    @property
    def seed_shaped(self) -> bool:
        return self.preset is None and is_seed_shape(
            self.condition, self.action, self.applies_to, self.parts
        )

    def document(self) -> JSON:
        """The rich document this draft stands for."""
        if self.preset is not None:
            doc = load_preset(self.preset)
            overrides = {k: v for k, v in self.parts.items() if v is not None}
            if self.applies_to is not None:
                overrides["applies_to"] = self.applies_to
            return {**doc, **overrides, "name": self.name or doc["name"]}
        if self.seed_shaped:
            assert self.condition is not None
            return seed_document(
                self.name, self.condition, self.action or {}, self.applies_to or {}
            )
        doc = {k: v for k, v in self.parts.items() if v is not None}
        for key, value in (("condition", self.condition), ("action", self.action)):
            if value is not None:
                doc[key] = value
        return {**doc, "name": self.name, "applies_to": self.applies_to or {}}


async def create_rule(deps: Deps, ctx: RequestContext, draft: RuleDraft) -> JSON:
    """Validate (errors name the field) and store an enabled rule."""
    document = draft.document()
    compiled = parse_rule(document)
    _check_secrets(deps, compiled)
    interval = draft.check_interval_seconds or int(compiled.interval.total_seconds())
    if draft.seed_shaped:
        condition, action = dict(draft.condition or {}), dict(draft.action or {})
        interval = draft.check_interval_seconds or DEFAULT_CHECK_INTERVAL_SECONDS
    else:
        condition = {SPEC_KEY: document, "preset": draft.preset}
        action = {"type": compiled.branches[0].action.type.value}
    rule = Rule(
        rule_id=new_id("rule"),
        tenant_id=ctx.tenant_id,
        name=document["name"] or compiled.name or "rule",
        condition=condition,
        action=action,
        applies_to=dict(document.get("applies_to") or {}),
        check_interval_seconds=interval,
        enabled=True,
        created_at=deps.clock.now(),
    )
    await deps.store.save_rule(rule)
    return {
        "status": "success",
        "rule_id": rule.rule_id,
        "rule_name": rule.name,
        "enabled": True,
        "level": compiled.level.value,
        "shape": "simple" if draft.seed_shaped else "rich",
        "preset": draft.preset,
        "check_interval_seconds": interval,
        "messages": both("rule_created"),
    }


def _check_secrets(deps: Deps, rule: CompiledRule) -> None:
    for index, branch in enumerate(rule.branches):
        action = branch.action
        if action.webhook_url and not (action.webhook_secret or settings_secret(deps.settings)):
            field = "action" if len(rule.branches) == 1 else f"branches[{index}].action"
            raise InvalidParameter(f"{field}.webhook.secret", N_("a signing secret is required"))


async def preview_rule(
    deps: Deps,
    ctx: RequestContext,
    *,
    rule_id: str | None = None,
    draft: RuleDraft | None = None,
    refresh: bool = True,
) -> JSON:
    """Dry run on current data: matched objects, values seen, what would change and why not."""
    if draft is not None:
        document = draft.document()
        rule = Rule(
            "preview",
            ctx.tenant_id,
            document["name"] or "preview",
            {SPEC_KEY: document},
            {},
            {},
            0,
            True,
            deps.clock.now(),
        )
    elif rule_id is not None:
        rule = await require_rule(deps, ctx, rule_id)
    else:
        raise InvalidParameter("rule_id", N_("give rule_id or a rule to preview"))
    return await _run(deps, ctx, [rule], dry_run=True, refresh=refresh)


async def execute_rule(
    deps: Deps,
    ctx: RequestContext,
    *,
    rule_id: str,
    refresh: bool = True,
    webhook: WebhookSender | None = None,
) -> JSON:
    """Run one rule now (enabled or not), apply what it decides, and log it."""
    rule = await require_rule(deps, ctx, rule_id)
    return await _run(deps, replace(ctx, trigger=Trigger.RULE), [rule], False, refresh, webhook)


async def check_rules(
    deps: Deps,
    ctx: RequestContext,
    *,
    due_only: bool = False,
    refresh: bool = True,
    webhook: WebhookSender | None = None,
) -> JSON:
    """Evaluate the tenant's enabled (and, with ``due_only``, due) rules in one cycle."""
    rules = await deps.store.list_rules(ctx.tenant_id, enabled_only=True)
    now = deps.clock.now()
    if due_only:
        rules = [r for r in rules if _due(r, now)]
    result = await _run(deps, replace(ctx, trigger=Trigger.RULE), rules, False, refresh, webhook)
    for rule in rules:
        await deps.store.save_rule(replace(rule, last_checked_at=now))
    triggered = len({n["rule_id"] for n in result["notifications"]})
    return {
        **result,
        "checked": len(rules),
        "triggered": triggered,
        "messages": both("rules_checked", checked=len(rules), triggered=triggered),
    }


def _due(rule: Rule, now: datetime) -> bool:
    last = rule.last_checked_at
    return last is None or now - last >= timedelta(seconds=rule.check_interval_seconds)


async def _run(
    deps: Deps,
    ctx: RequestContext,
    stored: list[Rule],
    dry_run: bool,
    refresh: bool,
    webhook: WebhookSender | None = None,
) -> JSON:
    """One cycle; a real one holds the lease of every campaign the rules reach, so it never
    interleaves with another writer of those campaigns."""
    compiled = {r.rule_id: compile_stored(r) for r in stored}
    if dry_run:
        return await _cycle(deps, ctx, compiled, dry_run, refresh, webhook)
    campaigns = reachable(await deps.store.list_campaigns(ctx.tenant_id), list(compiled.values()))
    leases = [campaign_lease(c.platform.value, c.campaign_id) for c in campaigns]
    async with holding_all(deps, ctx, leases):
        return await _cycle(deps, ctx, compiled, dry_run, refresh, webhook)


async def _cycle(
    deps: Deps,
    ctx: RequestContext,
    compiled: dict[str, CompiledRule],
    dry_run: bool,
    refresh: bool,
    webhook: WebhookSender | None,
) -> JSON:
    rules = list(compiled.values())
    observed = await observe(deps, ctx, rules, refresh) if rules else None
    ledger = await load_ledger(deps, ctx, rules)
    frames = observed.frames if observed else []
    limits = observed.limits if observed else None
    plan = run_cycle(rules, frames, deps.clock.now(), ledger, limits)
    results = [result_of(d, dry_run) for d in plan.decisions()]
    await hold_platform_limits(deps, ctx, results)
    run_id = sortable_id("run")
    if not dry_run:
        await apply_results(deps, ctx, results, compiled, webhook or default_sender(deps.settings))
        await record_results(deps, ctx, results, compiled, run_id)
    return _response(
        compiled, results, run_id, dry_run, ctx.locale, observed.warnings if observed else []
    )


def _response(
    rules: dict[str, CompiledRule],
    results: list[Result],
    run_id: str,
    dry_run: bool,
    locale: str,
    warnings: list[JSON],
) -> JSON:
    matched = {(r.decision.rule_id, r.decision.object_id) for r in results if r.decision.primary}
    changes = sum(r.result in ("done", "preview") and r.decision.changes for r in results)
    listed = [
        describe(
            rules[r.decision.rule_id],
            r,
            locale,
            int(rules[r.decision.rule_id].guards.cooldown.total_seconds() // 60),
        )
        for r in results
    ]
    key = "rule_preview" if dry_run else "rule_executed"
    return {
        "status": "success",
        "run_id": run_id,
        "dry_run": dry_run,
        "matched": len(matched),
        "changes": changes,
        "decisions": listed,
        "notifications": [
            d
            for d, r in zip(listed, results, strict=True)
            if r.decision.outcome is not Outcome.KEEP
        ],
        "warnings": warnings,
        "messages": both(key, matched=len(matched), changes=changes, applied=changes),
    }


async def rule_history(
    deps: Deps,
    ctx: RequestContext,
    *,
    rule_id: str,
    object_id: str | None = None,
    hide_no_changes: bool = False,
    limit: int = 100,
) -> JSON:
    """Executions, newest first (Meta's ``/history`` filters: object, hide no-changes)."""
    await require_rule(deps, ctx, rule_id)
    executions = await deps.store.list_rule_executions(ctx.tenant_id, rule_id, 100_000)
    picked = [
        e
        for e in reversed(executions)
        if (object_id is None or e.object_id == object_id)
        and not (hide_no_changes and e.result not in ("done", "notified") and e.action != "undo")
    ][:limit]
    return {
        "status": "success",
        "rule_id": rule_id,
        "executions": [describe_execution(e) for e in picked],
        "messages": both("rule_history", count=len(picked)),
    }


async def set_rule_enabled(deps: Deps, ctx: RequestContext, *, rule_id: str, enabled: bool) -> JSON:
    rule = await require_rule(deps, ctx, rule_id)
    await deps.store.save_rule(replace(rule, enabled=enabled))
    return {
        "status": "success",
        "rule_id": rule_id,
        "enabled": enabled,
        "messages": both("rule_enabled" if enabled else "rule_disabled"),
    }


async def list_rules(deps: Deps, ctx: RequestContext) -> JSON:
    rules = await deps.store.list_rules(ctx.tenant_id)
    listed = []
    for rule in rules:
        try:
            listed.append(describe_rule(rule, compile_stored(rule)))
        except InvalidParameter as error:
            listed.append(describe_rule(rule, None, f"{error.field}: {error.detail}"))
    return {
        "status": "success",
        "rules": listed,
        "messages": both("rules_listed", count=len(listed)),
    }


async def undo_rule_execution(
    deps: Deps, ctx: RequestContext, *, rule_id: str, execution_id: str | None = None
) -> JSON:
    """Restore the before-values of an applied execution (the rule's last one by default)."""
    await require_rule(deps, ctx, rule_id)
    return await undo_execution(deps, ctx, rule_id, execution_id)
