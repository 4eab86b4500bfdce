"""The Meta sandbox over HTTP: usage and throttling, faults, delivery, insights, restarts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from starlette.testclient import TestClient

from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta.api import MetaSandboxConfig, create_meta_app
from roasloop.sandbox.meta.usage import MetaQuota
from roasloop.sandbox.world import FaultConfig, SandboxWorld
from tests.integration.meta_sandbox_rig import (
    START,
    Sandbox,
    V,
    ad,
    adset,
    build,
    campaign,
    video,
)


# --- usage and faults ----------------------------------------------------------------------------
def _usage(response: httpx.Response, account: str) -> dict[str, Any]:
    entries = json.loads(response.headers["X-Business-Use-Case-Usage"])
    return dict(entries[account.removeprefix("act_")][0])


def test_usage_rises_throttles_and_recovers(tmp_path: Path) -> None:
    quota = MetaQuota(management_calls=10, window_seconds=60, block_seconds=120)
    sandbox = build(tmp_path, MetaSandboxConfig(quota=quota))
    shares = [_usage(sandbox.get(sandbox.account), sandbox.account)["call_count"] for _ in range(7)]
    assert shares == sorted(shares) and shares[-1] >= 70  # the login itself made 3 calls
    response = sandbox.get(sandbox.account)
    while response.status_code == 200:
        response = sandbox.get(sandbox.account)
    error, usage = sandbox.error(response), _usage(response, sandbox.account)
    assert (error["code"], error["error_subcode"], error["is_transient"]) == (80004, 2446079, True)
    assert usage["call_count"] == 100 and usage["estimated_time_to_regain_access"] == 2
    sandbox.time.now += 121  # the block and the window have passed
    recovered = sandbox.get(sandbox.account)
    assert recovered.status_code == 200 and _usage(recovered, sandbox.account)["call_count"] == 10
    sandbox.world.close()


def test_faults_look_like_graph_errors(sb: Sandbox) -> None:
    sb.world.set_faults(FaultConfig(rate_limit=1.0))
    throttled = sb.get(sb.account)
    assert sb.error(throttled)["code"] == 80004
    assert _usage(throttled, sb.account)["call_count"] == 100
    sb.world.set_faults(FaultConfig(system_error=1.0))
    failed = sb.get(sb.account)
    assert failed.status_code == 500 and failed.json()["error"]["is_transient"] is True
    sb.world.set_faults(FaultConfig(lost_response=1.0))
    lost = sb.post(
        f"{sb.account}/campaigns",
        name="lost-one",
        objective="OUTCOME_SALES",
        special_ad_categories=[],
    )
    sb.world.set_faults(FaultConfig())
    assert sb.error(lost)["code"] == 2
    found = [{"field": "name", "operator": "EQUAL", "value": "lost-one"}]
    assert len(sb.ok(sb.get(f"{sb.account}/campaigns", filtering=found))["data"]) == 1


# --- delivery and insights -----------------------------------------------------------------------
def test_delivery_follows_statuses_budgets_and_creative_names(sb: Sandbox) -> None:
    market = sb.world.market
    parent = campaign(sb, status="PAUSED")
    child = adset(sb, parent, daily_budget=4250)
    ad_id = ad(sb, child, video(sb, "unboxing [rl:m1]"))
    assert market.daily_budget(child) == 42.5
    assert market.to_state()["ads"][-1]["creative"] == "unboxing"
    group = {g["key"]: g for g in market.to_state()["adgroups"]}[child]
    assert group["active"] is False
    sb.ok(sb.post(parent, status="ACTIVE"))
    assert {g["key"]: g for g in market.to_state()["adgroups"]}[child]["active"] is True
    assert sb.ok(sb.get(ad_id, fields="effective_status"))["effective_status"] == "ACTIVE"
    sb.ok(sb.post(child, status="PAUSED"))
    assert sb.ok(sb.get(ad_id, fields="effective_status"))["effective_status"] == "ADSET_PAUSED"


def test_insights_report_yesterdays_numbers_as_strings(tmp_path: Path) -> None:
    sandbox = build(tmp_path)
    parent = campaign(sandbox, status="ACTIVE")
    child = adset(sandbox, parent, status="ACTIVE")
    vid = video(sandbox)
    ads = [ad(sandbox, child, vid, f"ad{i}") for i in range(2)]
    sandbox.clock.advance(timedelta(days=4))
    since, until = START.date(), START.date() + timedelta(days=3)
    params = {
        "level": "ad",
        "time_increment": 1,
        "time_range": {"since": since.isoformat(), "until": until.isoformat()},
        "fields": "campaign_id,ad_id,spend,impressions,clicks,ctr,actions,action_values",
    }
    rows = sandbox.ok(sandbox.get(f"{parent}/insights", **params, limit=500))["data"]
    assert {row["ad_id"] for row in rows} == set(ads) and len(rows) == 8
    for row in rows:
        assert all(isinstance(row[k], str) for k in ("spend", "impressions", "clicks", "ctr"))
        day = datetime.fromisoformat(row["date_start"]).date()
        reported = sandbox.world.market.reported(
            row["ad_id"], day, sandbox.clock.today() - timedelta(days=1)
        )
        assert (
            row["spend"] == str(reported.spend) and int(row["impressions"]) == reported.impressions
        )
    account_level = {"level": "campaign", "time_range": params["time_range"], "fields": "spend"}
    total = sandbox.ok(sandbox.get(f"{sandbox.account}/insights", **account_level))["data"]
    assert Decimal(total[0]["spend"]) == sum(Decimal(row["spend"]) for row in rows)
    sandbox.ok(sandbox.post(ads[0], status="DELETED"))
    kept = sandbox.ok(sandbox.get(f"{parent}/insights", **params))["data"]
    assert {row["ad_id"] for row in kept} == {ads[1]}
    with_deleted = [
        {"field": "ad.effective_status", "operator": "IN", "value": ["ACTIVE", "DELETED"]}
    ]
    everything = sandbox.ok(sandbox.get(f"{parent}/insights", **params, filtering=with_deleted))
    assert len(everything["data"]) == 8
    sandbox.world.close()


def test_objects_survive_a_restart(tmp_path: Path) -> None:
    sandbox = build(tmp_path)
    parent = campaign(sandbox, status="ACTIVE")
    child = adset(sandbox, parent)
    sandbox.world.close()
    world = SandboxWorld(tmp_path / "meta.db", sandbox.clock, Scenario.default("meta"), seed=5)
    client = TestClient(create_meta_app(world))
    read = client.get(
        f"{V}/{child}", params={"access_token": sandbox.token, "fields": "campaign_id"}
    )
    assert read.json() == {"id": child, "campaign_id": parent}
    assert child in world.market.adgroup_keys()
    world.close()
