"""Actions of the rule engine: create_rule, preview_rule, execute_rule, check_rules,
rule_history, set_rule_enabled, undo_rule_execution, list_rules.

``create_rule`` (and an inline ``preview_rule``) take the seed's shape
(``condition={metric, operator, value, time_range}``, ``action={type, pct}``,
``applies_to``), the rich shape (``condition`` with ``all``/``any`` trees or ``branches``,
plus ``level``, ``window``, ``safeguards``, ``targets``, ``schedule``; see
:mod:`roasloop.decisions.rules.spec`), or ``preset: "threshold" | "tiered"``
(optionally with ``applies_to``/``targets``/``safeguards`` overriding the preset's).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from roasloop.actions.base import JSON, Action, Params, Text
from roasloop.actions.rules_render import (
    render_checked,
    render_created,
    render_history,
    render_listed,
    render_run,
    render_toggled,
    render_undone,
)
from roasloop.decisions.rules.spec import MAX_COOLDOWN_MINUTES, MAX_EXECUTIONS
from roasloop.errors import InvalidParameter
from roasloop.services import rules
from roasloop.services.common import Deps, RequestContext
from roasloop.translations import N_


class RuleFields(Params):
    rule_name: Text | None = None
    preset: str | None = None
    condition: dict[str, Any] | None = None
    action: dict[str, Any] | None = None
    applies_to: dict[str, Any] | None = None
    branches: list[dict[str, Any]] | None = None
    level: str | None = None
    window: str | None = None
    safeguards: dict[str, Any] | None = None
    targets: dict[str, Any] | None = None
    schedule: dict[str, Any] | None = None
    execution_count_limit: int | None = Field(default=None, ge=1, le=MAX_EXECUTIONS)
    action_frequency: int | None = Field(default=None, ge=0, le=MAX_COOLDOWN_MINUTES)
    check_interval: int | None = Field(default=None, ge=60, le=7 * 86400)

    def draft(self) -> rules.RuleDraft:
        if self.preset is None and self.rule_name is None:
            raise InvalidParameter("rule_name", N_("a rule name is required"))
        parts = {
            "level": self.level,
            "window": self.window,
            "branches": self.branches,
            "safeguards": self.safeguards,
            "targets": self.targets,
            "schedule": self.schedule,
            "execution_count_limit": self.execution_count_limit,
            "action_frequency": self.action_frequency,
        }
        return rules.RuleDraft(
            name=self.rule_name or "",
            condition=self.condition,
            action=self.action,
            applies_to=self.applies_to,
            preset=self.preset,
            parts=parts,
            check_interval_seconds=self.check_interval,
        )


class PreviewRuleParams(RuleFields):
    rule_id: Text | None = None
    refresh: bool = True


class RuleRef(Params):
    rule_id: Text


class ExecuteRuleParams(RuleRef):
    refresh: bool = True


class CheckRulesParams(Params):
    due_only: bool = False


class RuleHistoryParams(RuleRef):
    object_id: Text | None = None
    hide_no_changes: bool = False
    limit: int = Field(default=100, ge=1, le=1000)


class SetRuleEnabledParams(RuleRef):
    enabled: bool


class UndoParams(RuleRef):
    execution_id: Text | None = None


class ListRulesParams(Params):
    pass


async def _create_rule(deps: Deps, ctx: RequestContext, q: RuleFields) -> JSON:
    return render_created(await rules.create_rule(deps, ctx, q.draft()))


async def _preview_rule(deps: Deps, ctx: RequestContext, q: PreviewRuleParams) -> JSON:
    inline = q.rule_id is None
    draft = q.draft() if inline else None
    run = await rules.preview_rule(deps, ctx, rule_id=q.rule_id, draft=draft, refresh=q.refresh)
    return render_run(run, ctx.locale)


async def _execute_rule(deps: Deps, ctx: RequestContext, q: ExecuteRuleParams) -> JSON:
    run = await rules.execute_rule(deps, ctx, rule_id=q.rule_id, refresh=q.refresh)
    return render_run(run, ctx.locale)


async def _check_rules(deps: Deps, ctx: RequestContext, q: CheckRulesParams) -> JSON:
    checked = await rules.check_rules(deps, ctx, due_only=q.due_only)
    return render_checked(checked, ctx.locale)


async def _rule_history(deps: Deps, ctx: RequestContext, q: RuleHistoryParams) -> JSON:
    history = await rules.rule_history(
        deps,
        ctx,
        rule_id=q.rule_id,
        object_id=q.object_id,
        hide_no_changes=q.hide_no_changes,
        limit=q.limit,
    )
    return render_history(history)


async def _set_rule_enabled(deps: Deps, ctx: RequestContext, q: SetRuleEnabledParams) -> JSON:
    toggled = await rules.set_rule_enabled(deps, ctx, rule_id=q.rule_id, enabled=q.enabled)
    return render_toggled(toggled)


async def _undo(deps: Deps, ctx: RequestContext, q: UndoParams) -> JSON:
    undone = await rules.undo_rule_execution(
        deps, ctx, rule_id=q.rule_id, execution_id=q.execution_id
    )
    return render_undone(undone)


async def _list_rules(deps: Deps, ctx: RequestContext, q: ListRulesParams) -> JSON:
    return render_listed(await rules.list_rules(deps, ctx))


ACTIONS = {
    "create_rule": Action(RuleFields, _create_rule),
    "preview_rule": Action(PreviewRuleParams, _preview_rule),
    "execute_rule": Action(ExecuteRuleParams, _execute_rule),
    "check_rules": Action(CheckRulesParams, _check_rules),
    "rule_history": Action(RuleHistoryParams, _rule_history),
    "set_rule_enabled": Action(SetRuleEnabledParams, _set_rule_enabled),
    "undo_rule_execution": Action(UndoParams, _undo),
    "list_rules": Action(ListRulesParams, _list_rules),
}
