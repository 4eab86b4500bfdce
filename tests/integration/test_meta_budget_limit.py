"""Meta's hourly budget limit: four changes per ad set, then an hour's lock.

The sandbox enforces it on the wire (code 17); the adapter turns it into 1005 without
retrying; the services hold a fifth change back before it is sent, from the operation log.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from roasloop.domain.enums import EntityLevel, OperationState, Platform, Trigger
from roasloop.domain.models import Operation
from roasloop.errors import QuotaExceeded
from roasloop.sandbox.meta.docs import ADSET
from tests.integration.harness import Harness
from tests.integration.meta_rig import Rig, adset_spec, form, structure


async def test_a_fifth_change_within_the_hour_is_refused_once_and_not_retried(rig: Rig) -> None:
    _, adset_id, _ = await structure(rig, ads=1)
    for cents in range(4):
        await rig.adapter.update_budget(adset_id, Decimal(40) + Decimal(cents))
    await rig.adapter.update_budget(adset_id, Decimal(43))  # the same value: not a change
    posts_before = len(rig.recorder.posts(f"/{adset_id}"))

    with pytest.raises(QuotaExceeded) as refused:
        await rig.adapter.update_budget(adset_id, Decimal(60))

    assert refused.value.code == "1005"
    assert refused.value.retry_after == 3600
    assert refused.value.details["platform_code"] == 17
    assert refused.value.details["limit"] == "budget_changes_per_hour"
    assert len(rig.recorder.posts(f"/{adset_id}")) == posts_before + 1  # no retry
    history = rig.world.get(ADSET, adset_id)["budget_history"]
    assert history == ["40.00", "41.00", "42.00", "43.00", "43.00"]  # every write received

    rig.time.now += 1800  # the lock lasts an hour from the refused change
    with pytest.raises(QuotaExceeded):
        await rig.adapter.update_budget(adset_id, Decimal(60))
    rig.time.now += 3601
    await rig.adapter.update_budget(adset_id, Decimal(60))
    assert rig.world.get(ADSET, adset_id)["daily_budget"] == "6000"


async def test_a_batch_keeps_the_locked_ad_set_s_error_and_applies_the_rest(rig: Rig) -> None:
    campaign_id, locked, _ = await structure(rig, ads=1)
    free = await rig.adapter.create_adset(adset_spec(campaign_id, key="s2"))
    for cents in range(4):
        await rig.adapter.update_budget(locked, Decimal(50) + Decimal(cents))
    batches_before = len(rig.recorder.posts("/v25.0/"))

    outcomes = await rig.adapter.update_budgets([(locked, Decimal(70)), (free, Decimal(70))])

    assert isinstance(outcomes[0], QuotaExceeded) and outcomes[1] is None
    assert len(rig.recorder.posts("/v25.0/")) == batches_before + 1  # the batch was not repeated
    sent = json.loads(form(rig.recorder.posts("/v25.0/")[-1])["batch"])
    assert len(sent) == 2
    assert rig.world.get(ADSET, free)["daily_budget"] == "7000"
    assert rig.world.get(ADSET, locked)["daily_budget"] == "5300"


# --- services: hold the change back before sending it -----------------------------------------
def _meta_campaign(h: Harness) -> dict[str, Any]:
    params = {
        "platform": "meta",
        "objective": "sales",
        "daily_budget": 600,
        "creative_ids": h.creatives("u1", 1),
    }
    result = h.execute("create_campaign", params)
    assert result["status"] == "success", result
    return result


def _record_recent_changes(h: Harness, adset_id: str, count: int) -> None:
    """Budget writes roasloop confirmed in the last hour, as the operation log keeps them."""
    now = h.clock.now()
    entries = []
    for index in range(count):
        at = now - timedelta(minutes=50 - 10 * index)
        entry = Operation(
            operation_id=f"op-earlier-{adset_id}-{index}",
            tenant_id="u1",
            platform=Platform.META,
            created_at=at,
            trigger=Trigger.RULE,
            object_level=EntityLevel.ADSET,
            object_id=adset_id,
            action="increase_budget",
            state=OperationState.CONFIRMED,
            before={"daily_budget": "30.00"},
            after={"daily_budget": "30.00"},
            updated_at=at,
        )
        entries.append(entry)
    h.stored("u1", lambda uow: uow.operations.record_many(entries))


def test_optimize_budget_holds_a_change_the_platform_would_refuse(fresh: Harness) -> None:
    campaign = _meta_campaign(fresh)
    fresh.advance(4)
    params = {
        "platform": "meta",
        "campaign_id": campaign["campaign_id"],
        "policy": "threshold",
        "target_cpa": "0.01",  # every ad set with a conversion gets a 20 % cut
    }
    preview = fresh.execute("optimize_budget", params)
    changing = [o["adset_id"] for o in preview["optimizations"] if o["new_budget"] is not None]
    assert changing, preview
    locked, others = changing[0], changing[1:]
    _record_recent_changes(fresh, locked, 4)

    result = fresh.execute("optimize_budget", {**params, "apply": True}, locale="zh-CN")

    assert result["status"] == "success", result
    by_adset = {item["adset_id"]: item for item in result["optimizations"]}
    assert by_adset[locked]["applied"] is False
    assert all(by_adset[a]["applied"] for a in others)
    [held] = [f for f in result["findings"] if f["code"] == "finding_budget_change_limit"]
    assert held["values"]["adset_id"] == locked
    expected = (fresh.clock.now() - timedelta(minutes=50) + timedelta(hours=1)).isoformat(
        timespec="minutes"
    )
    assert held["values"]["retry_at"] == expected
    assert "顺延" in held["message"] and "held" in held["messages"]["en"]
    logged = fresh.stored("u1", lambda uow: uow.operations.find(object_id=locked))
    later = [op for op in logged if not op.operation_id.startswith("op-earlier")]
    assert [op.action for op in later] == ["create_adset"]  # nothing sent for the held change


def test_a_rule_s_budget_change_is_held_and_does_not_count_as_executed(fresh: Harness) -> None:
    campaign = _meta_campaign(fresh)
    locked = campaign["adsets"][0]["adset_id"]
    fresh.advance(3)
    _record_recent_changes(fresh, locked, 4)
    rule = {
        "rule_name": "scale",
        "platform": "meta",
        "condition": {"metric": "spend", "operator": ">=", "value": 0, "window": "last_3d"},
        "action": {"type": "increase_budget", "change_spec": {"amount": 10, "unit": "percentage"}},
        "safeguards": {"learning_phase": "include"},
        "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
    }
    created = fresh.execute("create_rule", rule)
    assert created["status"] == "success", created

    executed = fresh.execute("execute_rule", {"rule_id": created["rule_id"]})

    assert executed["status"] == "success", executed
    outcome = {d["object_id"]: d for d in executed["decisions"]}
    assert outcome[locked]["result"] == "held_platform_limit"
    assert "this hour" in outcome[locked]["result_message"]
    others = [a["adset_id"] for a in campaign["adsets"][1:]]
    assert {outcome[a]["result"] for a in others} == {"done"}
    logged = fresh.stored("u1", lambda uow: uow.operations.find(object_id=locked))
    later = [op for op in logged if not op.operation_id.startswith("op-earlier")]
    assert [op.action for op in later] == ["create_adset"]  # nothing sent for the held change
