"""Writers of one campaign take turns, and a period's decision is applied once.

Two concurrent ``optimize_budget apply``, ``execute_rule`` or ``evaluate_stages apply`` on one
campaign send each change once; rerunning a policy the same day sends nothing more.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from tests.integration.harness import Harness

SHRINK = {"policy": "threshold", "target_cpa": "0.01"}  # every converting ad set: −20 %


def launch(h: Harness, user: str, platform: str = "tiktok") -> dict[str, Any]:
    params = {
        "platform": platform,
        "objective": "sales",
        "daily_budget": 600,
        "creative_ids": h.creatives(user, 1),
    }
    created = h.execute("create_campaign", params, user=user)
    assert created["status"] == "success", created
    return created


def budget_writes(h: Harness, user: str) -> list[Any]:
    entries = h.stored(user, lambda uow: uow.operations.find())
    return [e for e in entries if "daily_budget" in e.after and not e.action.startswith("create")]


def policy_writes(h: Harness, user: str) -> list[Any]:
    """The writes budget policies sent (budgets and pauses)."""
    entries = h.stored(user, lambda uow: uow.operations.find())
    return [e for e in entries if e.idempotency_key.startswith("policy:")]


def together(h: Harness, user: str, action: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    async def both() -> list[dict[str, Any]]:
        calls = [h.module.execute(action, params, {"user_id": user}) for _ in range(2)]
        return list(await asyncio.gather(*calls))

    results = h.runner.run(both())
    assert all(r["status"] == "success" for r in results), results
    return results


def test_two_concurrent_policy_applies_send_each_change_once(h: Harness) -> None:
    user = h.new_user()
    campaign = launch(h, user)
    h.advance(4)
    params = {"campaign_id": campaign["campaign_id"], **SHRINK}
    preview = h.execute("optimize_budget", params, user=user)
    changing = {o["adset_id"]: o["new_budget"] for o in preview["optimizations"]}
    assert changing, preview

    results = together(h, user, "optimize_budget", {**params, "apply": True})

    assert len(policy_writes(h, user)) == len(changing)
    applied = [{o["adset_id"] for o in r["optimizations"] if o["applied"]} for r in results]
    assert sorted(map(len, applied)) == [0, len(changing)]
    for adset_id, budget in changing.items():
        adgroup = h.world.get("adgroup", adset_id)
        if budget is None:  # a pause
            assert adgroup["operation_status"] == "DISABLE"
        else:
            assert Decimal(str(adgroup["budget"])) == Decimal(str(budget))


def test_rerunning_a_policy_the_same_day_is_a_no_op_with_a_reason(h: Harness) -> None:
    user = h.new_user()
    campaign = launch(h, user)
    h.advance(4)
    params = {"campaign_id": campaign["campaign_id"], **SHRINK, "apply": True}
    first = h.execute("optimize_budget", params, user=user)
    sent = len(policy_writes(h, user))
    assert sent > 0 and all(o["applied"] for o in first["optimizations"])

    again = h.execute("optimize_budget", params, user=user, locale="zh-CN")

    assert not any(o["applied"] for o in again["optimizations"])
    reasons = [f for f in again["findings"] if f["code"] == "finding_already_applied"]
    assert {f["values"]["adset_id"] for f in reasons} == {
        o["adset_id"] for o in again["optimizations"]
    }
    assert "不会重复" in reasons[0]["message"]
    assert len(policy_writes(h, user)) == sent
    h.advance(1)
    tomorrow = h.execute("optimize_budget", params, user=user)
    assert any(o["applied"] for o in tomorrow["optimizations"])


def test_two_concurrent_rule_runs_send_each_change_once(h: Harness) -> None:
    user = h.new_user()
    campaign = launch(h, user)
    h.advance(3)
    rule = {
        "rule_name": "scale",
        "condition": {"metric": "spend", "operator": ">=", "value": 0, "window": "last_3d"},
        "action": {"type": "increase_budget", "change_spec": {"amount": 10, "unit": "percentage"}},
        "safeguards": {"learning_phase": "include"},
        "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
    }
    rule_id = h.execute("create_rule", rule, user=user)["rule_id"]

    together(h, user, "execute_rule", {"rule_id": rule_id})

    assert len(budget_writes(h, user)) == len(campaign["adsets"])
    for adset in campaign["adsets"]:
        budget = Decimal(str(h.world.get("adgroup", adset["adset_id"])["budget"]))
        assert budget == (Decimal(str(adset["daily_budget"])) * Decimal("1.1")).quantize(
            Decimal("0.01")
        )


def go_hot(h: Harness, user: str, platform: str, campaign_id: str) -> None:
    """The hot stage, kept, scaling every ad set that spent at all (so it always has moves)."""
    ref = {"platform": platform, "campaign_id": campaign_id}
    never_demoted = {"hot_full_spend_ratio": "0.001", "demote_days": 90}
    scaled = {**ref, "thresholds": never_demoted}
    assert h.execute("configure_stages", scaled, user=user)["status"] == "success"
    assert h.execute("set_stage", {**ref, "stage": "hot"}, user=user)["status"] == "success"


def test_two_concurrent_stage_applies_send_each_change_once(h: Harness) -> None:
    user = h.new_user()
    campaign = launch(h, user)
    go_hot(h, user, "tiktok", campaign["campaign_id"])
    h.advance(5)
    preview = h.execute("evaluate_stages", {}, user=user)
    moves = [a for a in preview["campaigns"][0]["actions"] if "new_budget" in a]
    assert moves, preview

    together(h, user, "evaluate_stages", {"apply": True})

    assert len(budget_writes(h, user)) == len(moves)


def test_the_stage_machine_holds_a_change_meta_would_refuse(h: Harness) -> None:
    from tests.integration.test_meta_budget_limit import _record_recent_changes

    user = "u1"
    campaign = launch(h, user, "meta")
    go_hot(h, user, "meta", campaign["campaign_id"])
    h.advance(5)
    preview = h.execute("evaluate_stages", {}, user=user)
    moves = [a["adset_id"] for a in preview["campaigns"][0]["actions"] if "new_budget" in a]
    assert moves, preview
    _record_recent_changes(h, moves[0], 4)

    applied = h.execute("evaluate_stages", {"apply": True}, user=user)

    assert applied["status"] == "success", applied
    result = applied["campaigns"][0]
    by_adset = {a["adset_id"]: a for a in result["actions"] if "new_budget" in a}
    assert by_adset[moves[0]]["applied"] is False
    assert all(by_adset[a]["applied"] for a in moves[1:])
    [held] = [f for f in result["findings"] if f["code"] == "finding_budget_change_limit"]
    assert held["values"]["adset_id"] == moves[0]
