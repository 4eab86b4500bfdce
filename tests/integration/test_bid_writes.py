"""Bid and campaign-budget writes of rules and the stage machine, end to end: module API,
store, TikTok sandbox.

An ad set with a cost cap is made the way a user's own ad set would exist: through the
platform adapter and recorded in the store. Crashes are the harness's network boundary
ending the process mid-request; nothing of roasloop is replaced.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from roasloop.domain.enums import (
    BidStrategy,
    EntityStatus,
    OperationState,
    OptimizationGoal,
    Platform,
)
from roasloop.domain.models import AgeRange, Targeting
from roasloop.ports.platform import AdSetSpec
from tests.integration.harness import Harness, SimulatedCrash
from tests.integration.steps import INCLUDE, launch, ok

CAP = Decimal("12.50")


def _capped_adset(h: Harness, user: str, campaign_id: str) -> str:
    """An ad set bidding with a cost cap of 12.50, on the platform and in the store."""
    deps = h.runtime.deps
    adapter = h.runner.run(deps.adapters.adapter_for(user, Platform.TIKTOK))
    spec = AdSetSpec(
        client_key=f"{user}-capped",
        campaign_id=campaign_id,
        name="cost cap",
        daily_budget=Decimal("50"),
        targeting=Targeting(("US",), AgeRange(18, 35)),
        optimization_goal=OptimizationGoal.CONVERSIONS,
        bid_strategy=BidStrategy.TARGET_COST,
        start_time=h.clock.now(),
        status=EntityStatus.ACTIVE,
        bid_amount=CAP,
    )
    adset_id = h.runner.run(adapter.create_adset(spec))
    template = h.stored(user, lambda uow: uow.campaigns.list_adsets(Platform.TIKTOK, campaign_id))[
        0
    ]
    record = replace(
        template,
        adset_id=adset_id,
        name=spec.name,
        bid_strategy=spec.bid_strategy,
        bid_amount=CAP,
    )
    h.stored(user, lambda uow: uow.campaigns.save_adset(record))
    return adset_id


def _bid_rule(h: Harness, user: str, campaign_id: str, action: dict[str, Any]) -> str:
    created = h.execute(
        "create_rule",
        {
            "rule_name": "tighten cost caps",
            "condition": {"metric": "budget", "operator": ">", "value": 0},
            "action": action,
            "safeguards": INCLUDE,
            "applies_to": {"campaign_ids": [campaign_id]},
        },
        user=user,
    )
    return str(ok(created)["rule_id"])


def _platform_bid(h: Harness, adset_id: str) -> Decimal:
    return Decimal(str(h.world.get("adgroup", adset_id)["conversion_bid_price"]))


def _stored_bid(h: Harness, user: str, adset_id: str) -> Decimal | None:
    stored = h.stored(user, lambda uow: uow.campaigns.get_adset(Platform.TIKTOK, adset_id))
    assert stored is not None
    return stored.bid_amount


def _ops(h: Harness, user: str, action: str) -> list[Any]:
    operations = h.stored(user, lambda uow: uow.operations.find())
    return [op for op in operations if op.action == action]


def test_change_bid_rule_moves_the_cost_cap_logged_and_undoable(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    capped = _capped_adset(fresh, "u1", campaign["campaign_id"])
    fresh.advance(1)
    rule_id = _bid_rule(fresh, "u1", campaign["campaign_id"], {"type": "change_bid", "pct": -10})

    preview = ok(fresh.execute("preview_rule", {"rule_id": rule_id}))
    outcomes = {d["object_id"]: d for d in preview["decisions"]}
    assert outcomes[capped]["result"] == "preview"
    assert (outcomes[capped]["old_bid"], outcomes[capped]["new_bid"]) == (12.5, 11.25)
    lowest_cost = [a["adset_id"] for a in campaign["adsets"]]
    assert {outcomes[a]["result"] for a in lowest_cost} == {"skipped_no_bid"}

    executed = ok(fresh.execute("execute_rule", {"rule_id": rule_id}, locale="zh-CN"))
    done = next(d for d in executed["decisions"] if d["object_id"] == capped)
    assert done["result"] == "done" and done["change"] == "出价 12.50 → 11.25"
    assert _platform_bid(fresh, capped) == Decimal("11.25")
    assert fresh.world.get("adgroup", capped)["bid_history"] == ["11.25"]  # sent once
    assert _stored_bid(fresh, "u1", capped) == Decimal("11.25")
    [logged] = _ops(fresh, "u1", "change_bid")
    assert logged.state is OperationState.CONFIRMED and logged.object_id == capped
    assert (logged.before, logged.after) == ({"bid": "12.50"}, {"bid": "11.25"})

    history = ok(fresh.execute("rule_history", {"rule_id": rule_id, "hide_no_changes": True}))
    [entry] = history["executions"]
    assert (entry["before"], entry["after"]) == ({"bid": "12.50"}, {"bid": "11.25"})
    undone = ok(fresh.execute("undo_rule_execution", {"rule_id": rule_id}))
    assert undone["restored"] == {"bid": "12.50"}
    assert _platform_bid(fresh, capped) == CAP and _stored_bid(fresh, "u1", capped) == CAP
    [undo] = _ops(fresh, "u1", "undo")
    assert undo.state is OperationState.CONFIRMED and undo.after == {"bid": "12.50"}


def test_campaign_budget_rule_reports_a_campaign_without_its_own_budget(
    fresh: Harness,
) -> None:
    campaign = launch(fresh, "u1")
    fresh.advance(1)
    created = fresh.execute(
        "create_rule",
        {
            "rule_name": "grow campaign",
            "level": "campaign",
            "condition": {"metric": "budget", "operator": ">", "value": 0},
            "action": {"type": "increase_budget", "pct": 10},
            "safeguards": INCLUDE,
        },
    )
    result = ok(fresh.execute("execute_rule", {"rule_id": ok(created)["rule_id"]}))
    [decision] = result["decisions"]
    assert decision["result"] == "failed:1001" and decision["error_code"] == "1001"
    [failed] = _ops(fresh, "u1", "increase_budget")
    assert failed.state is OperationState.FAILED
    assert failed.result["details"]["field"] == "daily_budget"  # no campaign budget on TikTok
    doc = fresh.world.get("campaign", campaign["campaign_id"])
    assert doc["budget_mode"] == "BUDGET_MODE_INFINITE" and "budget_history" not in doc


@pytest.mark.parametrize(("crash", "landed"), [("crash", True), ("crash_before", False)])
def test_resume_settles_an_interrupted_bid_write_without_sending_it_again(
    fresh: Harness, crash: str, landed: bool
) -> None:
    campaign = launch(fresh, "u1")
    capped = _capped_adset(fresh, "u1", campaign["campaign_id"])
    fresh.advance(1)
    rule_id = _bid_rule(fresh, "u1", campaign["campaign_id"], {"type": "change_bid", "pct": 20})

    def die_on_bid_write(request: Any) -> str | None:
        writes_bid = request.url.path.endswith("/adgroup/update/") and b"bid_price" in (
            request.content
        )
        return crash if writes_bid else None

    fresh.transport.script = die_on_bid_write
    with pytest.raises(SimulatedCrash):
        fresh.execute("execute_rule", {"rule_id": rule_id})
    fresh.transport.script = lambda request: None
    [open_entry] = _ops(fresh, "u1", "change_bid")
    assert open_entry.state is OperationState.SENT and open_entry.after == {"bid": "15.00"}

    sent_before = len(fresh.transport.requests)
    resumed = ok(fresh.execute("resume_operations", {}))
    assert (resumed["confirmed"], resumed["failed"]) == ((1, 0) if landed else (0, 1))
    assert not any(
        r.url.path.endswith("/update/") for r in fresh.transport.requests[sent_before:]
    )  # resume only reads
    [settled] = _ops(fresh, "u1", "change_bid")
    expected = Decimal("15.00") if landed else CAP
    assert settled.state is (OperationState.CONFIRMED if landed else OperationState.FAILED)
    assert _platform_bid(fresh, capped) == expected
    assert _stored_bid(fresh, "u1", capped) == expected
    history = fresh.world.get("adgroup", capped).get("bid_history", [])
    assert [Decimal(b) for b in history] == ([Decimal("15")] if landed else [])  # sent once


def test_hot_stage_raises_the_bid_of_an_under_spending_cost_capped_ad_set(
    fresh: Harness,
) -> None:
    campaign = launch(fresh, "u1")
    capped = _capped_adset(fresh, "u1", campaign["campaign_id"])
    cid = campaign["campaign_id"]
    ok(fresh.execute("set_stage", {"campaign_id": cid, "stage": "hot", "reason": "test"}))
    ok(
        fresh.execute(
            "configure_stages", {"campaign_id": cid, "thresholds": {"hot_bid_step": "0.3"}}
        )
    )
    fresh.advance(2)
    evaluated = ok(fresh.execute("evaluate_stages", {"apply": True}))
    actions = evaluated["campaigns"][0]["actions"]
    raised = [a for a in actions if a["action"] == "raise_bid"]
    # the cost-capped ad set spent nothing of its budget; the 30 % step meets the 50 % cap
    assert [(a["adset_id"], a["old_bid"], a["new_bid"]) for a in raised] == [(capped, 12.5, 16.25)]
    assert raised[0]["reasons"]["zh-CN"].startswith("爆品期")
    assert _platform_bid(fresh, capped) == Decimal("16.25")
    assert _stored_bid(fresh, "u1", capped) == Decimal("16.25")
    [logged] = _ops(fresh, "u1", "raise_bid")
    assert logged.state is OperationState.CONFIRMED
    assert (logged.before, logged.after) == ({"bid": "12.50"}, {"bid": "16.25"})
