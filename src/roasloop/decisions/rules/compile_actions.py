"""Compiling actions (``action``, ``branches[i].action``) and ``safeguards``.

Defaults: ``increase_budget``/``decrease_budget`` without an amount move by 20 % (the
seed's default); percentages of a decrease must stay below 100; ``set_budget`` takes an
amount in the account currency; ``scale_budget`` needs ``target_field`` (a ratio metric)
and ``target_value``. ``change_bid`` moves the ad set's money bid by a signed percentage
(default +20 %, above −100) or a signed amount, like Meta's ``CHANGE_BID`` ``change_spec``.
Actions are checked against the rule's level: budget actions on ad sets or campaigns,
``rebalance`` and ``change_bid`` on ad sets, ``rotate_creative`` on ads.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from roasloop.decisions.rules import spec as s
from roasloop.decisions.rules.catalog import ACTION_ALIASES, NUMERIC, RATIOS, ActionType, canonical
from roasloop.decisions.rules.expressions import parse_expr
from roasloop.decisions.rules.model import Change, Guards, RuleAction
from roasloop.decisions.rules.windows import parse_window
from roasloop.domain.enums import EntityLevel
from roasloop.domain.money import to_minor_units
from roasloop.errors import InvalidParameter
from roasloop.i18n import CATALOG
from roasloop.translations import N_

DEFAULT_PCT = Fraction(20)
LEVELS: dict[ActionType, frozenset[EntityLevel]] = {
    ActionType.INCREASE_BUDGET: frozenset({EntityLevel.ADSET, EntityLevel.CAMPAIGN}),
    ActionType.DECREASE_BUDGET: frozenset({EntityLevel.ADSET, EntityLevel.CAMPAIGN}),
    ActionType.SET_BUDGET: frozenset({EntityLevel.ADSET, EntityLevel.CAMPAIGN}),
    ActionType.SCALE_BUDGET: frozenset({EntityLevel.ADSET, EntityLevel.CAMPAIGN}),
    ActionType.CHANGE_BID: frozenset({EntityLevel.ADSET}),
    ActionType.REBALANCE: frozenset({EntityLevel.ADSET}),
    ActionType.ROTATE_CREATIVE: frozenset({EntityLevel.AD}),
}
UNITS = {
    "percentage": "percentage",
    "percent": "percentage",
    "pct": "percentage",
    "%": "percentage",
    "currency": "currency",
    "account_currency": "currency",
    "amount": "currency",
    "exact": "currency",
}


def compile_action(action: s.ActionSpec, level: EntityLevel, path: str) -> RuleAction:
    kind = canonical(action.type, ACTION_ALIASES)
    if kind is None:
        known = ", ".join(a.value for a in ActionType)
        raise InvalidParameter(f"{path}.type", N_("one of {known}"), detail_params={"known": known})
    action_type = ActionType(kind)
    allowed = LEVELS.get(action_type)
    if allowed is not None and level not in allowed:
        levels = " or ".join(sorted(x.value for x in allowed))
        raise InvalidParameter(
            f"{path}.type",
            N_("{action} needs level {levels}"),
            detail_params={"action": action_type.value, "levels": levels},
        )
    change = _change(action_type, action, path)
    low, high = _cents(action.min_budget), _cents(action.max_budget)
    if low is not None and high is not None and low > high:
        raise InvalidParameter(f"{path}.max_budget", N_("must not be below min_budget"))
    if action.reason is not None and action.reason not in CATALOG:
        raise InvalidParameter(
            f"{path}.reason",
            N_("must be the key of a built-in message, such as reason_no_conversions"),
        )
    webhook = action.webhook
    if webhook is not None and action_type is not ActionType.NOTIFY:
        raise InvalidParameter(f"{path}.webhook", N_("only notify actions take a webhook"))
    return RuleAction(
        type=action_type,
        change=change,
        min_cents=low,
        max_cents=high,
        webhook_url=webhook.url if webhook else None,
        webhook_secret=webhook.secret if webhook else None,
        reason_key=action.reason,
        reason_params=dict(action.reason_params),
    )


def _change(kind: ActionType, action: s.ActionSpec, path: str) -> Change | None:
    spec = action.change_spec
    if kind is ActionType.CHANGE_BID:
        return _bid_step(action, path)
    if spec is not None and spec.amount is not None and spec.amount < 0:
        raise InvalidParameter(f"{path}.change_spec.amount", N_("must be greater than 0"))
    if kind in (ActionType.INCREASE_BUDGET, ActionType.DECREASE_BUDGET):
        return _step(kind, action, path)
    if kind is ActionType.SET_BUDGET:
        if spec is None or spec.amount is None or spec.amount <= 0:
            raise InvalidParameter(
                f"{path}.change_spec.amount", N_("set_budget needs an amount > 0")
            )
        if _unit(spec, path) != "currency" and "unit" in spec.model_fields_set:
            raise InvalidParameter(f"{path}.change_spec.unit", N_("set_budget takes currency"))
        return Change("currency", Fraction(to_minor_units(spec.amount)), _cents(spec.limit))
    if kind is ActionType.SCALE_BUDGET:
        return _target(spec, path)
    if spec is not None or action.pct is not None:
        field = "change_spec" if spec is not None else "pct"
        raise InvalidParameter(
            f"{path}.{field}", N_("{action} takes no amount"), detail_params={"action": kind.value}
        )
    return None


def _step(kind: ActionType, action: s.ActionSpec, path: str) -> Change:
    spec = action.change_spec
    if spec is not None and action.pct is not None:
        raise InvalidParameter(f"{path}.pct", N_("give pct or change_spec, not both"))
    if spec is None:
        pct = DEFAULT_PCT if action.pct is None else Fraction(action.pct)
        return Change("percentage", _pct(kind, pct, f"{path}.pct"))
    unit = _unit(spec, path)
    field = f"{path}.change_spec.amount"
    if spec.amount is None:
        raise InvalidParameter(field, N_("an amount is required"))
    if unit == "percentage":
        return Change(unit, _pct(kind, Fraction(spec.amount), field), _cents(spec.limit))
    if spec.amount <= 0:
        raise InvalidParameter(field, N_("must be greater than 0"))
    return Change(unit, Fraction(to_minor_units(spec.amount)), _cents(spec.limit))


def _bid_step(action: s.ActionSpec, path: str) -> Change:
    spec = action.change_spec
    if spec is not None and action.pct is not None:
        raise InvalidParameter(f"{path}.pct", N_("give pct or change_spec, not both"))
    if spec is None:
        pct = DEFAULT_PCT if action.pct is None else Fraction(action.pct)
        return Change("percentage", _signed_pct(pct, f"{path}.pct"))
    unit, field = _unit(spec, path), f"{path}.change_spec.amount"
    if spec.amount is None:
        raise InvalidParameter(field, N_("an amount is required"))
    if unit == "percentage":
        return Change(unit, _signed_pct(Fraction(spec.amount), field), _cents(spec.limit))
    if spec.amount == 0:
        raise InvalidParameter(field, N_("must not be 0"))
    return Change(unit, Fraction(to_minor_units(spec.amount)), _cents(spec.limit))


def _signed_pct(pct: Fraction, field: str) -> Fraction:
    if pct == 0 or pct <= -100 or pct > 1000:
        raise InvalidParameter(field, N_("must be above -100 and at most 1000, not 0"))
    return pct


def _pct(kind: ActionType, pct: Fraction, field: str) -> Fraction:
    if pct <= 0:
        raise InvalidParameter(field, N_("must be greater than 0"))
    if kind is ActionType.DECREASE_BUDGET and pct >= 100:
        raise InvalidParameter(field, N_("a decrease must be below 100% (use pause)"))
    if pct > 1000:
        raise InvalidParameter(field, N_("must be at most 1000"))
    return pct


def _unit(spec: s.ChangeSpec, path: str) -> str:
    unit = UNITS.get(spec.unit)
    if unit is None:
        raise InvalidParameter(f"{path}.change_spec.unit", N_("percentage or currency"))
    return unit


def _target(spec: s.ChangeSpec | None, path: str) -> Change:
    base = f"{path}.change_spec"
    if spec is None or spec.target_field not in RATIOS:
        raise InvalidParameter(
            f"{base}.target_field",
            N_("scale_budget needs one of {known}"),
            detail_params={"known": ", ".join(sorted(RATIOS))},
        )
    try:
        target = parse_expr(spec.target_value, frozenset(NUMERIC))
    except ValueError as exc:
        raise InvalidParameter.refusing(f"{base}.target_value", exc) from None
    if target.metric is None and target.coef <= 0:
        raise InvalidParameter(f"{base}.target_value", N_("must be greater than 0"))
    try:
        window = parse_window(spec.window)
    except ValueError as exc:
        raise InvalidParameter.refusing(f"{base}.window", exc) from None
    return Change("target", Fraction(0), _cents(spec.limit), spec.target_field, target, window)


def compile_guards(doc: s.RuleSpec) -> Guards:
    g = doc.safeguards
    cooldown = doc.action_frequency if doc.action_frequency is not None else g.cooldown_minutes
    low, high = _cents(g.min_budget), _cents(g.max_budget)
    if low is not None and high is not None and low > high:
        raise InvalidParameter("safeguards.max_budget", N_("must not be below min_budget"))
    return Guards(
        cooldown=timedelta(minutes=cooldown),
        max_per_object=doc.execution_count_limit or g.max_executions_per_object,
        max_per_object_per_day=g.max_executions_per_object_per_day,
        max_per_day=g.max_executions_per_day,
        max_change=None if g.max_change_pct is None else Fraction(g.max_change_pct) / 100,
        min_cents=low,
        max_cents=high,
        protect_learning=g.learning_phase == "protect",
        account_cap_cents=_cents(g.account_daily_spend_cap),
    )


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_minor_units(amount)
