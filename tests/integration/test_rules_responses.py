"""Every rule action's full response, pinned: keys, their order, values, types and texts.

One scenario drives each rule action through the module API (TikTok and Meta sandboxes):
created, previewed, executed (done, cooldown, failed, held back by Meta's hourly limit,
notified), checked, listed (with a masked webhook secret), history, enable/disable, undo,
and a refresh that fails. Generated ids (rules, runs, executions, operations) and wall-clock
moments differ per run; they are replaced by ``<id:N>`` in order of first appearance, so
which response refers to which object still counts. Everything else is compared exactly,
with ``float``/``int``/``str`` and list/tuple told apart.

To rewrite the expected file after an intended change: ``UPDATE_GOLDEN=1 pytest <this file>``.
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from roasloop.domain.enums import EntityLevel, OperationState, Platform, Trigger
from roasloop.domain.models import Operation
from tests.integration.harness import Harness
from tests.integration.steps import INCLUDE, ok

EXPECTED = Path(__file__).with_name("rules_responses.json")
#: Ids made by ``new_id``/``sortable_id`` (hex after the prefix) and by the sandboxes (digits).
GENERATED = re.compile(r"\b(?:[a-z]+_[0-9a-f]{16,}|\d{15,})\b")


class Normalizer:
    """Replaces generated ids by stable placeholders and marks every value's type."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def _id(self, match: re.Match[str]) -> str:
        return self.seen.setdefault(match.group(0), f"<id:{len(self.seen)}>")

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return [[self(k), self(v)] for k, v in value.items()]
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, tuple):
            return {"tuple": [self(v) for v in value]}
        if isinstance(value, str):
            return GENERATED.sub(self._id, value)
        if value is None or isinstance(value, bool | int | float):
            return value
        return {type(value).__name__: self(str(value))}


def _rule(name: str, campaign_id: str, action: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "rule_name": name,
        "condition": {"metric": "spend", "operator": ">", "value": 0, "window": "last_3d"},
        "action": action,
        "safeguards": INCLUDE,
        "applies_to": {"campaign_ids": [campaign_id]},
        **extra,
    }


def _tiktok_steps(h: Harness, out: list[tuple[str, dict[str, Any]]]) -> None:
    def step(
        name: str, action: str, params: dict[str, Any], by_object: bool = False, **ctx: Any
    ) -> dict[str, Any]:
        h.clock.advance(timedelta(minutes=1))  # rules listed in creation order, not by id
        response = h.execute(action, params, **ctx)
        out.append((name, _by_object(response) if by_object else response))
        return response

    params = {"objective": "sales", "daily_budget": 150, "target_roas": 2}
    params |= {"creative_ids": h.creatives("u1", 1), "idempotency_key": "pinned-tiktok"}
    campaign = ok(h.execute("create_campaign", params))
    campaign_id = campaign["campaign_id"]
    h.advance(3)
    rich = ok(
        step(
            "create rich",
            "create_rule",
            _rule(
                "scale",
                campaign_id,
                {"type": "increase_budget", "change_spec": {"amount": 30, "unit": "percentage"}},
            ),
        )
    )["rule_id"]
    simple = {
        "rule_name": "cut",
        "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
        "action": {"type": "decrease_budget", "pct": 20},
        "applies_to": {"adset_ids": [campaign["adsets"][0]["adset_id"]]},
    }
    cut = ok(step("create simple", "create_rule", simple))["rule_id"]
    preset = {"preset": "threshold", "applies_to": {"campaign_ids": [campaign_id]}}
    step("create preset", "create_rule", {**preset, "targets": {"target_roas": 0.1}})
    webhook = {"url": "https://hooks.example.com/x", "secret": "whsec-0123456789"}
    hooked = _rule("hook", campaign_id, {"type": "notify", "webhook": webhook})
    hook = ok(step("create webhook", "create_rule", hooked))["rule_id"]
    step("disable webhook", "set_rule_enabled", {"rule_id": hook, "enabled": False})
    step("create notify", "create_rule", _rule("tell", campaign_id, {"type": "notify"}))
    step("preview stored zh", "preview_rule", {"rule_id": rich}, locale="zh-CN")
    inline = {"preset": "tiered", "applies_to": {"campaign_ids": [campaign_id]}}
    step("preview inline", "preview_rule", {**inline, "targets": {"target_roas": 100}})
    step("execute", "execute_rule", {"rule_id": rich})
    step("execute again", "execute_rule", {"rule_id": rich}, locale="zh-CN")
    step("undo", "undo_rule_execution", {"rule_id": rich})
    h.transport.script = lambda r: 40002 if r.url.path.endswith("/adgroup/update/") else None
    step("execute failing", "execute_rule", {"rule_id": cut})
    h.transport.script = lambda r: 40002 if "/report/" in r.url.path else None
    step("preview unrefreshed", "preview_rule", {"rule_id": cut})
    h.transport.script = lambda r: None
    h.advance(1)
    step("check", "check_rules", {}, by_object=True)
    step("check due", "check_rules", {"due_only": True})
    step("history changes", "rule_history", {"rule_id": rich, "hide_no_changes": True})
    step("history all", "rule_history", {"rule_id": cut, "limit": 3})
    step("undo refused", "undo_rule_execution", {"rule_id": rich})
    step("history undo", "rule_history", {"rule_id": rich, "hide_no_changes": True})
    step("enable", "set_rule_enabled", {"rule_id": hook, "enabled": True})
    step("disable", "set_rule_enabled", {"rule_id": hook, "enabled": False})
    step("list", "list_rules", {})


def _meta_steps(h: Harness, out: list[tuple[str, dict[str, Any]]]) -> None:
    params = {"platform": "meta", "objective": "sales", "daily_budget": 600}
    params |= {"creative_ids": h.creatives("u2", 1), "idempotency_key": "pinned-meta"}
    campaign = ok(h.execute("create_campaign", params, "u2"))
    locked = campaign["adsets"][0]["adset_id"]
    h.advance(3)
    now = h.clock.now()
    entries = []
    for index in range(4):
        at = now - timedelta(minutes=50 - 10 * index)
        entry = Operation(
            operation_id=f"op-earlier-{index}",
            tenant_id="u2",
            platform=Platform.META,
            created_at=at,
            trigger=Trigger.RULE,
            object_level=EntityLevel.ADSET,
            object_id=locked,
            action="increase_budget",
            state=OperationState.CONFIRMED,
            before={"daily_budget": "30.00"},
            after={"daily_budget": "30.00"},
            updated_at=at,
        )
        entries.append(entry)
    h.stored("u2", lambda uow: uow.operations.record_many(entries))
    rule = _rule(
        "meta scale",
        campaign["campaign_id"],
        {"type": "increase_budget", "change_spec": {"amount": 10, "unit": "percentage"}},
        platform="meta",
    )
    created = ok(h.execute("create_rule", rule, "u2"))
    out.append(("create meta", created))
    executed = h.execute("execute_rule", {"rule_id": created["rule_id"]}, "u2")
    out.append(("execute held", executed))


def _by_object(response: dict[str, Any]) -> dict[str, Any]:
    """``response`` with the decisions on one object in rule-name order: the engine orders
    them by rule id, and rule ids are random."""
    for key in ("decisions", "notifications"):
        response[key] = sorted(response[key], key=lambda d: (d["object_id"], d["rule_name"]))
    return response


def _dump(steps: list[tuple[str, dict[str, Any]]]) -> list[str]:
    normalize = Normalizer()
    return [
        json.dumps([name, normalize(response)], ensure_ascii=False, sort_keys=False)
        for name, response in steps
    ]


def test_every_rule_response_matches_the_pinned_one(fresh: Harness) -> None:
    steps: list[tuple[str, dict[str, Any]]] = []
    _tiktok_steps(fresh, steps)
    _meta_steps(fresh, steps)
    actual = _dump(steps)
    assert all(json.loads(line)[1] for line in actual)
    if os.environ.get("UPDATE_GOLDEN"):
        EXPECTED.write_text("\n".join(actual) + "\n", encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)[0] for line in actual] == [json.loads(e)[0] for e in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got == want  # text, so 1.0 and 1, True and 1 differ


def test_the_normalizer_keeps_order_and_types() -> None:
    normalize = Normalizer()
    value = {"b": 1.0, "a": (1, "run_0123456789abcdef0123"), "c": Decimal("2.50")}
    assert normalize(value) == [
        ["b", 1.0],
        ["a", {"tuple": [1, "<id:0>"]}],
        ["c", {"Decimal": "2.50"}],
    ]
    assert _dump([("x", {"a": 1.0})]) != _dump([("x", {"a": 1})])
