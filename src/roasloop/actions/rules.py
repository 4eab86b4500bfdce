"""Actions: create_rule, check_rules."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from roasloop.actions.base import JSON, Action, Params, Text
from roasloop.services import rules
from roasloop.services.common import Deps, RequestContext


class CreateRuleParams(Params):
    rule_name: Text
    condition: dict[str, Any]
    action: dict[str, Any]
    applies_to: dict[str, Any] = Field(default_factory=dict)
    check_interval: int = Field(default=6 * 3600, ge=60, le=7 * 86400)


class CheckRulesParams(Params):
    due_only: bool = False


async def _create_rule(deps: Deps, ctx: RequestContext, q: CreateRuleParams) -> JSON:
    return await rules.create_rule(
        deps,
        ctx,
        name=q.rule_name,
        condition=q.condition,
        action=q.action,
        applies_to=q.applies_to,
        check_interval_seconds=q.check_interval,
    )


async def _check_rules(deps: Deps, ctx: RequestContext, q: CheckRulesParams) -> JSON:
    return await rules.check_rules(deps, ctx, due_only=q.due_only)


ACTIONS = {
    "create_rule": Action(CreateRuleParams, _create_rule),
    "check_rules": Action(CheckRulesParams, _check_rules),
}
