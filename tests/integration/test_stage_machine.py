"""The launch-stage machine through the module API, the store and the TikTok sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from roasloop.domain.enums import OperationState
from tests.integration.harness import Harness, build_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = build_harness(tmp_path)
    yield harness
    harness.close()


def _launch(h: Harness) -> str:
    created = h.execute(
        "create_campaign",
        {
            "objective": "sales",
            "daily_budget": 150,
            "creative_ids": h.creatives("u1", 2),
            "target_roas": 0.5,
        },
    )
    assert created["status"] == "success", created
    return str(created["campaign_id"])


def test_manual_override_is_logged_and_stored(h: Harness) -> None:
    campaign_id = _launch(h)
    result = h.execute(
        "set_stage", {"campaign_id": campaign_id, "stage": "hot", "reason": "launch day promo"}
    )
    assert result["status"] == "success"
    assert (result["from_stage"], result["to_stage"]) == ("launch", "hot")
    assert "launch day promo" in result["reasons"]["en"] and result["reasons"]["zh-CN"]
    log = h.stored("u1", lambda uow: uow.operations.find(object_id=campaign_id))
    entry = next(op for op in log if op.action == "set_stage")
    assert entry.before == {"stage": "launch"} and entry.after["stage"] == "hot"
    assert entry.state is OperationState.CONFIRMED
    evaluation = h.execute("evaluate_stages", {})
    assert evaluation["campaigns"][0]["stage"] == "hot"


def test_evaluate_promotes_when_thresholds_are_met_and_dry_run_changes_nothing(h: Harness) -> None:
    campaign_id = _launch(h)
    configured = h.execute(
        "configure_stages",
        {"campaign_id": campaign_id, "thresholds": {"heating_impressions": 1000, "ctr_max_cv": 5}},
    )
    assert configured["status"] == "success"
    h.advance(4)
    preview = h.execute("evaluate_stages", {})
    move = preview["campaigns"][0]["transition"]
    assert preview["dry_run"] is True and move["to_stage"] == "heating"
    assert h.execute("evaluate_stages", {})["campaigns"][0]["stage"] == "heating"  # not stored
    stored = h.stored("u1", lambda uow: uow.campaigns.all())[0]
    assert stored.stage.value == "launch"
    applied = h.execute("evaluate_stages", {"apply": True})
    assert applied["campaigns"][0]["transition"]["to_stage"] == "heating"
    stored = h.stored("u1", lambda uow: uow.campaigns.all())[0]
    assert stored.stage.value == "heating"


def test_bad_thresholds_name_the_field(h: Harness) -> None:
    campaign_id = _launch(h)
    result = h.execute("configure_stages", {"campaign_id": campaign_id, "thresholds": {"speed": 3}})
    assert result["status"] == "error" and result["error"]["details"]["field"] == "thresholds.speed"
    result = h.execute("set_stage", {"campaign_id": campaign_id, "stage": "viral"})
    assert result["error"]["details"]["field"] == "stage"
