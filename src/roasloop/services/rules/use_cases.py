"""Use cases of the rule engine: create, preview, execute, check, history, enable, undo.

A cycle is: observe (refresh reports, build frames) → decide (pure
:func:`roasloop.decisions.rules.run_cycle`) → act (:mod:`.apply`: operation log,
adapter, store) → record (one ``RuleExecution`` per decision). ``check_rules`` runs every
enabled (due) rule in one cycle, so conflicts between rules are resolved together;
``execute_rule`` runs one rule now (Meta's ``/execute``); ``preview_rule`` is the same cycle
without acting (Meta's ``/preview``).

Stored form: a seed-shaped rule keeps the seed's ``condition``/``action``/``applies_to``
dicts as they were given; a rich or preset rule stores its document under
``condition["rule_spec"]`` (with the first action's type in ``action`` and the scope in
``applies_to`` for display). Both compile through the same path.

Each use case returns a typed result (:mod:`.results`); the module API renders them in
:mod:`roasloop.actions.rules_render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from roasloop.decisions.presets import load_preset
from roasloop.decisions.rules import (
    CompiledRule,
    is_seed_shape,
    parse_rule,
    run_cycle,
    seed_document,
)
from roasloop.domain.enums import EntityLevel, Trigger
from roasloop.domain.models import Rule
from roasloop.errors import InvalidParameter
from roasloop.ports.notify import WebhookSender
from roasloop.services.common import Deps, RequestContext, new_id, sortable_id
from roasloop.services.leases import campaign_lease, holding_all
from roasloop.services.rules.apply import (
    apply_results,
    hold_platform_limits,
    record_results,
    result_of,
)
from roasloop.services.rules.inputs import (
    SPEC_KEY,
    compile_stored,
    load_ledger,
    observe,
    reachable,
    require_rule,
)
from roasloop.services.rules.notify import settings_secret
from roasloop.services.rules.results import (
    EXECUTED,
    ExecutionUndone,
    RuleCreated,
    RuleHistory,
    RuleRun,
    RulesChecked,
    RuleShape,
    RulesListed,
    RuleSummary,
    RuleToggled,
)
from roasloop.services.rules.undo import undo_execution
from roasloop.translations import N_

#: A rule as a caller wrote it (JSON-shaped); :mod:`roasloop.decisions.rules` validates it.
RuleDocument = Mapping[str, Any]
#: The seed checks rules every 6 hours.
DEFAULT_CHECK_INTERVAL_SECONDS = 6 * 3600
RICH_PARTS = ("level", "window", "branches", "safeguards", "targets", "schedule")


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule as a caller gives it: a preset, the seed's three dicts, or rich parts."""

    name: str
    condition: RuleDocument | None = None
    action: RuleDocument | None = None
    applies_to: RuleDocument | None = None
    preset: str | None = None
    parts: RuleDocument = field(default_factory=dict)
    check_interval_seconds: int | None = None

    @property
    def seed_shaped(self) -> bool:
        return self.preset is None and is_seed_shape(
            self.condition, self.action, self.applies_to, self.parts
        )

    def document(self) -> RuleDocument:
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


async def create_rule(deps: Deps, ctx: RequestContext, draft: RuleDraft) -> RuleCreated:
    """Validate (errors name the field) and store an enabled rule."""
    document = draft.document()
    compiled = parse_rule(document)
    _check_secrets(deps, compiled)
    interval = draft.check_interval_seconds or int(compiled.interval.total_seconds())
    if draft.seed_shaped:
        condition, action = dict(draft.condition or {}), dict(draft.action or {})
        interval = draft.check_interval_seconds or DEFAULT_CHECK_INTERVAL_SECONDS
    else:
        condition = {SPEC_KEY: dict(document), "preset": draft.preset}
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
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.rules.save(rule)
    shape = RuleShape.SIMPLE if draft.seed_shaped else RuleShape.RICH
    return RuleCreated(rule.rule_id, rule.name, compiled.level, shape, draft.preset, interval)


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
) -> RuleRun:
    """Dry run on current data: matched objects, values seen, what would change and why not."""
    if draft is not None:
        document = draft.document()
        rule = Rule(
            "preview",
            ctx.tenant_id,
            document["name"] or "preview",
            {SPEC_KEY: dict(document)},
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
) -> RuleRun:
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
) -> RulesChecked:
    """Evaluate the tenant's enabled (and, with ``due_only``, due) rules in one cycle."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        rules = await uow.rules.all(enabled_only=True)
    now = deps.clock.now()
    if due_only:
        rules = [r for r in rules if _due(r, now)]
    run = await _run(deps, replace(ctx, trigger=Trigger.RULE), rules, False, refresh, webhook)
    async with deps.store.unit(ctx.tenant_id) as uow:
        for rule in rules:
            await uow.rules.save(replace(rule, last_checked_at=now))
    return RulesChecked(run, checked=len(rules))


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
) -> RuleRun:
    """One cycle; a real one holds the lease of every campaign the rules reach, so it never
    interleaves with another writer of those campaigns."""
    compiled = {r.rule_id: compile_stored(r) for r in stored}
    if dry_run:
        return await _cycle(deps, ctx, compiled, dry_run, refresh, webhook)
    async with deps.store.unit(ctx.tenant_id) as uow:
        campaigns = reachable(await uow.campaigns.all(), list(compiled.values()))
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
) -> RuleRun:
    rules = list(compiled.values())
    observed = await observe(deps, ctx, rules, refresh) if rules else None
    ledger = await load_ledger(deps, ctx, rules)
    frames = observed.frames if observed else []
    limits = observed.limits if observed else None
    plan = run_cycle(rules, frames, deps.clock.now(), ledger, limits)
    results = [result_of(compiled[d.rule_id], d, dry_run) for d in plan.decisions()]
    results = await hold_platform_limits(deps, ctx, results)
    run_id = sortable_id("run")
    if not dry_run:
        sender = webhook or deps.webhooks
        results = await apply_results(deps, ctx, results, sender)
        results = await record_results(deps, ctx, results, run_id)
    return RuleRun(run_id, dry_run, tuple(results), observed.warnings if observed else ())


async def rule_history(
    deps: Deps,
    ctx: RequestContext,
    *,
    rule_id: str,
    object_id: str | None = None,
    hide_no_changes: bool = False,
    limit: int = 100,
) -> RuleHistory:
    """Executions, newest first (Meta's ``/history`` filters: object, hide no-changes)."""
    await require_rule(deps, ctx, rule_id)
    async with deps.store.unit(ctx.tenant_id) as uow:
        executions = await uow.rules.list_executions(rule_id, 100_000)
    picked = [
        e
        for e in reversed(executions)
        if (object_id is None or e.object_id == object_id)
        and not (hide_no_changes and e.result not in EXECUTED and e.action != "undo")
    ][:limit]
    return RuleHistory(rule_id, tuple(picked))


async def set_rule_enabled(
    deps: Deps, ctx: RequestContext, *, rule_id: str, enabled: bool
) -> RuleToggled:
    """Switch a rule on or off; a disabled rule runs only when executed by hand."""
    rule = await require_rule(deps, ctx, rule_id)
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.rules.save(replace(rule, enabled=enabled))
    return RuleToggled(rule_id, enabled)


async def list_rules(deps: Deps, ctx: RequestContext) -> RulesListed:
    """The tenant's rules; one that no longer compiles is listed with the reason."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        rules = await uow.rules.all()
    listed = []
    for rule in rules:
        try:
            listed.append(_summary(rule, compile_stored(rule).level))
        except InvalidParameter as error:
            listed.append(_summary(rule, None, f"{error.field}: {error.detail}"))
    return RulesListed(tuple(listed))


def _summary(rule: Rule, level: EntityLevel | None, error: str | None = None) -> RuleSummary:
    rich = SPEC_KEY in rule.condition
    return RuleSummary(
        rule_id=rule.rule_id,
        name=rule.name,
        enabled=rule.enabled,
        level=level,
        check_interval_seconds=rule.check_interval_seconds,
        created_at=rule.created_at,
        last_checked_at=rule.last_checked_at,
        shape=RuleShape.RICH if rich else RuleShape.SIMPLE,
        definition=_masked(rule.condition.get(SPEC_KEY, rule.condition)),
        error=error,
    )


def _masked(value: Any) -> Any:
    """A copy of a stored document with webhook secrets masked."""
    if isinstance(value, dict):
        return {k: "***" if k == "secret" and v else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


async def undo_rule_execution(
    deps: Deps, ctx: RequestContext, *, rule_id: str, execution_id: str | None = None
) -> ExecutionUndone:
    """Restore the before-values of an applied execution (the rule's last one by default)."""
    await require_rule(deps, ctx, rule_id)
    return await undo_execution(deps, ctx, rule_id, execution_id)
