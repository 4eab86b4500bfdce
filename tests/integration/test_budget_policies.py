"""optimize_budget with each budget policy, through the module API and the TikTok sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from roasloop.sandbox.market.scenario import builtin_scenario
from tests.integration.harness import Harness, build_harness


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = build_harness(tmp_path, scenario=builtin_scenario("one_clear_winner"), seed=4)
    yield h
    h.close()


def _launch(h: Harness, budget: int = 300) -> dict[str, Any]:
    result = h.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": budget, "creative_ids": h.creatives("u1", 3)},
    )
    assert result["status"] == "success", result
    return result


def _budgets(h: Harness, campaign: dict[str, Any]) -> dict[str, Decimal]:
    return {
        a["adset_id"]: Decimal(str(h.world.get("adgroup", a["adset_id"])["budget"]))
        for a in campaign["adsets"]
    }


def _active(h: Harness, campaign: dict[str, Any]) -> set[str]:
    return {
        a["adset_id"]
        for a in campaign["adsets"]
        if h.world.get("adgroup", a["adset_id"])["operation_status"] == "ENABLE"
    }


def test_roasloop_is_the_default_and_explains_every_decision(harness: Harness) -> None:
    campaign = _launch(harness)
    total = Decimal(300)
    for _ in range(4):
        harness.advance(3)
        before = _budgets(harness, campaign)
        params = {"campaign_id": campaign["campaign_id"], "target_roas": "1.8", "apply": True}
        result = harness.execute("optimize_budget", params)
        assert result["status"] == "success", result
        assert result["policy"] == "roasloop"
        assert isinstance(result["findings"], list)
        for item in result["optimizations"]:
            assert item["action"] in {"increase_budget", "decrease_budget", "pause"}
            assert item["reasons"]["en"] and item["reasons"]["zh-CN"]
            assert item["reasons"]["en"] != item["reasons"]["zh-CN"]
            assert item["metrics"]["break_even_roas"] == pytest.approx(1.8)
            assert item["applied"] is True
            if item["action"] != "pause":
                old = before[item["adset_id"]]
                new = Decimal(str(item["new_budget"]))
                assert abs(new - old) <= old / 2 and new >= Decimal(20)
        after = _budgets(harness, campaign)
        active = _active(harness, campaign)
        assert sum(after[a] for a in active) <= total


def test_every_policy_runs_and_an_unknown_one_is_refused(harness: Harness) -> None:
    campaign = _launch(harness)
    harness.advance(6)
    for policy in ("threshold", "tiered", "roasloop"):
        params = {"campaign_id": campaign["campaign_id"], "target_roas": "2", "policy": policy}
        result = harness.execute("optimize_budget", params)
        assert result["status"] == "success" and result["policy"] == policy
        assert result["dry_run"] is True
    for former, current in (("seed-design", "threshold"), ("seed-tiered", "tiered")):
        params = {"campaign_id": campaign["campaign_id"], "target_roas": "2", "policy": former}
        result = harness.execute("optimize_budget", params)
        assert result["status"] == "success" and result["policy"] == current
    preset = harness.execute("create_rule", {"preset": "seed-design"})
    assert preset["status"] == "success", preset
    bad = {"campaign_id": campaign["campaign_id"], "target_roas": "2", "policy": "magic"}
    refused = harness.execute("optimize_budget", bad)
    assert refused["status"] == "error"
    assert refused["error"]["details"]["field"] == "policy"


def test_the_pause_stance_is_validated_and_reported(harness: Harness) -> None:
    campaign = _launch(harness)
    harness.advance(6)
    base = {"campaign_id": campaign["campaign_id"], "target_roas": "2"}
    for stance in ("patient", "balanced", "decisive"):
        result = harness.execute("optimize_budget", {**base, "pause_stance": stance})
        assert result["status"] == "success" and result["pause_stance"] == stance
    before = _budgets(harness, campaign), _active(harness, campaign)
    refused = harness.execute(
        "optimize_budget", {**base, "pause_stance": "reckless", "apply": True}
    )
    assert refused["status"] == "error" and refused["error"]["type"] == "INVALID_PARAMETER"
    assert refused["error"]["details"]["field"] == "pause_stance"
    assert (_budgets(harness, campaign), _active(harness, campaign)) == before
    seed_rules = {**base, "policy": "tiered"}
    assert harness.execute("optimize_budget", seed_rules)["pause_stance"] is None
    mixed = harness.execute("optimize_budget", {**seed_rules, "pause_stance": "decisive"})
    assert mixed["error"]["details"]["field"] == "pause_stance"


def test_a_campaign_below_break_even_is_reported_to_the_merchant(tmp_path: Path) -> None:
    """All mediocre creatives at a 4.0 ROAS target: no ad set is paused on that alone, but the
    response says the campaign as a whole is below break-even, in both languages."""
    h = build_harness(tmp_path, scenario=builtin_scenario("all_mediocre"), seed=1)
    try:
        campaign = _launch(h)
        h.advance(12)
        before = _budgets(h, campaign)
        params = {"campaign_id": campaign["campaign_id"], "target_roas": "4"}
        result = h.execute("optimize_budget", params)
        assert result["status"] == "success", result
        [finding] = [
            f for f in result["findings"] if f["code"] == "finding_campaign_below_break_even"
        ]
        values = finding["values"]
        assert values["target"] == 4.0
        assert values["low"] <= values["roas"] <= values["high"] < 4.0
        assert 0.0 <= values["chance"] < 10.0
        assert f"{values['roas']}" in finding["messages"]["en"]
        assert f"{values['roas']}" in finding["messages"]["zh-CN"]
        assert finding["message"] == finding["messages"]["en"]
        assert _budgets(h, campaign) == before  # a finding and a preview change nothing
    finally:
        h.close()
