"""The Meta sandbox on the wire: validation, auth, paging, batches, usage, faults, delivery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.meta_api import MetaSandboxConfig, create_meta_app
from roasloop.sandbox.meta_usage import MetaQuota
from roasloop.sandbox.scenario import Scenario
from roasloop.sandbox.world import FaultConfig, SandboxWorld

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
V = "/v25.0"
TARGETING = {"geo_locations": {"countries": ["US"]}, "age_min": 25, "age_max": 44}


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Sandbox:
    client: TestClient
    world: SandboxWorld
    clock: SimulatedClock
    time: FakeTime
    token: str = ""
    account: str = ""
    ids: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(f"{V}/{path}", params={"access_token": self.token, **_wire(params)})

    def post(self, path: str, **params: Any) -> httpx.Response:
        query = {"access_token": self.token}
        return self.client.post(f"{V}/{path}", params=query, data=_wire(params))

    def ok(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    def error(self, response: httpx.Response) -> dict[str, Any]:
        assert response.status_code in (400, 500), response.text
        return dict(response.json()["error"])

    def login(self, code: str) -> None:
        grant = self.client.get(
            f"{V}/oauth/access_token",
            params={"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET, "code": code},
        ).json()
        self.token = grant["access_token"]
        self.account = self.ok(self.get("me/adaccounts"))["data"][0]["id"]
        self.ids["pixel"] = self.ok(self.get(f"{self.account}/adspixels"))["data"][0]["id"]
        self.ids["page"] = self.ok(self.get(f"{self.account}/promote_pages"))["data"][0]["id"]


def _wire(params: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}


def build(tmp: Path, config: MetaSandboxConfig | None = None, code: str = "t") -> Sandbox:
    clock = SimulatedClock(START)
    time = FakeTime()
    world = SandboxWorld(tmp / "meta.db", clock, Scenario.default("meta"), seed=5)
    config = config or MetaSandboxConfig()
    config = MetaSandboxConfig(config.quota, time, config.token_lifetime)
    sandbox = Sandbox(TestClient(create_meta_app(world, config)), world, clock, time)
    sandbox.login(code)
    return sandbox


@pytest.fixture(scope="module")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox = build(tmp_path_factory.mktemp("meta-sandbox"))
    yield sandbox
    sandbox.world.close()


def campaign(sb: Sandbox, name: str = "c", **extra: Any) -> str:
    params = {"name": name, "objective": "OUTCOME_SALES", "special_ad_categories": []}
    return str(sb.ok(sb.post(f"{sb.account}/campaigns", **params | extra))["id"])


def adset_params(sb: Sandbox, campaign_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "s",
        "campaign_id": campaign_id,
        "daily_budget": 5000,
        "billing_event": "IMPRESSIONS",
        "optimization_goal": "OFFSITE_CONVERSIONS",
        "promoted_object": {"pixel_id": sb.ids["pixel"], "custom_event_type": "PURCHASE"},
        "targeting": TARGETING,
    } | extra


def adset(sb: Sandbox, campaign_id: str, **extra: Any) -> str:
    response = sb.post(f"{sb.account}/adsets", **adset_params(sb, campaign_id, **extra))
    return str(sb.ok(response)["id"])


def video(sb: Sandbox, title: str = "hero [rl:key1]") -> str:
    response = sb.client.post(
        f"{V}/{sb.account}/advideos",
        params={"access_token": sb.token},
        data={"name": title},
        files={"source": ("hero.mp4", b"bytes", "video/mp4")},
    )
    return str(sb.ok(response)["id"])


def ad(sb: Sandbox, adset_id: str, video_id: str, name: str = "a", **extra: Any) -> str:
    story = {
        "page_id": sb.ids["page"],
        "video_data": {
            "video_id": video_id,
            "image_url": "https://thumb.example.com/x.jpg",
            "message": "Buy",
            "call_to_action": {"type": "SHOP_NOW", "value": {"link": "https://shop.example.com"}},
        },
    }
    creative = sb.ok(sb.post(f"{sb.account}/adcreatives", name=name, object_story_spec=story))
    params = {"name": name, "adset_id": adset_id, "creative": {"creative_id": creative["id"]}}
    return str(sb.ok(sb.post(f"{sb.account}/ads", **params | extra))["id"])


# --- auth ----------------------------------------------------------------------------------------
def test_oauth_provisions_one_account_per_code(sb: Sandbox) -> None:
    params = {"client_id": SANDBOX_APP_ID, "client_secret": "wrong", "code": "x"}
    assert sb.error(sb.client.get(f"{V}/oauth/access_token", params=params))["code"] == 101
    first = sb.client.get(
        f"{V}/oauth/access_token", params=params | {"client_secret": SANDBOX_APP_SECRET}
    )
    again = sb.client.get(
        f"{V}/oauth/access_token", params=params | {"client_secret": SANDBOX_APP_SECRET}
    )
    assert first.json()["token_type"] == "bearer" and "expires_in" not in first.json()

    def accounts(token: str) -> list[Any]:
        response = sb.client.get(f"{V}/me/adaccounts", params={"access_token": token})
        return list(response.json()["data"])

    assert accounts(first.json()["access_token"]) == accounts(again.json()["access_token"])
    assert accounts(first.json()["access_token"]) != accounts(sb.token)
    assert accounts(sb.token)[0]["id"] == f"act_{accounts(sb.token)[0]['account_id']}"


def test_token_errors_are_graph_190s(sb: Sandbox) -> None:
    missing = sb.client.get(f"{V}/{sb.account}/campaigns")
    assert sb.error(missing)["code"] == 104
    bad = sb.client.get(f"{V}/{sb.account}/campaigns", params={"access_token": "EAAnope"})
    assert (sb.error(bad)["code"], sb.error(bad)["error_subcode"]) == (190, 467)
    bearer = sb.client.get(f"{V}/{sb.account}", headers={"Authorization": f"Bearer {sb.token}"})
    assert sb.ok(bearer)["id"] == sb.account
    proof = sb.client.get(
        f"/{sb.account}", params={"access_token": sb.token, "appsecret_proof": "0"}
    )
    assert sb.error(proof)["error_data"]["blame_field_specs"] == [["appsecret_proof"]]


def test_tokens_expire_on_the_world_clock(tmp_path: Path) -> None:
    sandbox = build(tmp_path, MetaSandboxConfig(token_lifetime=timedelta(days=60)))
    sandbox.ok(sandbox.get(sandbox.account))
    sandbox.clock.advance(timedelta(days=61))
    error = sandbox.error(sandbox.get(sandbox.account))
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")
    sandbox.world.close()


def test_other_accounts_objects_are_invisible(sb: Sandbox, tmp_path: Path) -> None:
    other = build(tmp_path, code="stranger")
    foreign = campaign(other)
    error = sb.error(sb.get(foreign, fields="name"))
    assert (error["code"], error["error_subcode"], error["type"]) == (
        100,
        33,
        "GraphMethodException",
    )
    other.world.close()


# --- validation ----------------------------------------------------------------------------------
def test_campaigns_need_special_ad_categories_and_odax_objectives(sb: Sandbox) -> None:
    missing = sb.error(sb.post(f"{sb.account}/campaigns", name="x", objective="OUTCOME_SALES"))
    assert missing["code"] == 100 and "special_ad_categories" in missing["message"]
    assert missing["error_data"]["blame_field_specs"] == [["special_ad_categories"]]
    legacy = sb.post(
        f"{sb.account}/campaigns", name="x", objective="CONVERSIONS", special_ad_categories=[]
    )
    assert sb.error(legacy)["error_data"]["blame_field_specs"] == [["objective"]]
    as_json = sb.client.post(
        f"/v19.0/{sb.account}/campaigns/",
        params={"access_token": sb.token},
        json={"name": "json", "objective": "OUTCOME_TRAFFIC", "special_ad_categories": ["NONE"]},
    )
    assert sb.ok(as_json)["id"].isdigit()


@pytest.mark.parametrize(
    ("extra", "blamed", "subcode"),
    [
        ({"daily_budget": 99}, "daily_budget", 1885272),
        ({"daily_budget": "20.5"}, "daily_budget", None),
        (
            {"billing_event": "LINK_CLICKS", "optimization_goal": "LINK_CLICKS",
             "daily_budget": 499},
            "daily_budget",
            1885272,
        ),
        ({"billing_event": "CPM"}, "billing_event", None),
        ({"optimization_goal": "THRUPLAY"}, "optimization_goal", None),
        ({"targeting": TARGETING | {"age_min": 17}}, "targeting.age_min", None),
        ({"targeting": {"geo_locations": {"countries": ["KP"]}}},
         "targeting.geo_locations.countries", None),
        ({"promoted_object": None}, "promoted_object", None),
        ({"bid_strategy": "COST_CAP"}, "bid_amount", None),
        ({"status": "ON"}, "status", None),
    ],
)  # fmt: skip
def test_adset_validation_blames_the_field(
    sb: Sandbox, extra: dict[str, Any], blamed: str, subcode: int | None
) -> None:
    params = {k: v for k, v in adset_params(sb, campaign(sb), **extra).items() if v is not None}
    error = sb.error(sb.post(f"{sb.account}/adsets", **params))
    assert error["code"] == 100
    assert error["error_data"]["blame_field_specs"] == [blamed.split(".")]
    assert error.get("error_subcode") == subcode


def test_minimum_budgets_follow_the_billing_event(sb: Sandbox) -> None:
    parent = campaign(sb)
    assert adset(sb, parent, daily_budget=100)
    clicks = {"billing_event": "LINK_CLICKS", "optimization_goal": "LINK_CLICKS"}
    assert adset(sb, parent, daily_budget=500, **clicks)


def test_campaign_budgets_exclude_adset_budgets(sb: Sandbox) -> None:
    cbo = campaign(sb, daily_budget=10000)
    error = sb.error(sb.post(f"{sb.account}/adsets", **adset_params(sb, cbo)))
    assert error["error_subcode"] == 1885621
    params = adset_params(sb, cbo)
    del params["daily_budget"]
    first = sb.ok(sb.post(f"{sb.account}/adsets", **params))["id"]
    second = sb.ok(sb.post(f"{sb.account}/adsets", **params | {"name": "s2"}))["id"]
    assert sb.world.market.daily_budget(first) == sb.world.market.daily_budget(second) == 50


def test_creatives_need_a_page_and_a_thumbnail(sb: Sandbox) -> None:
    video_id = video(sb)
    story = {
        "page_id": sb.ids["page"],
        "video_data": {"video_id": video_id, "call_to_action": {"type": "SHOP_NOW"}},
    }
    error = sb.error(sb.post(f"{sb.account}/adcreatives", name="x", object_story_spec=story))
    assert error["error_data"]["blame_field_specs"] == [
        ["object_story_spec", "video_data", "image_url"]
    ]
    wrong_page = story | {"page_id": "1"}
    error = sb.error(sb.post(f"{sb.account}/adcreatives", name="x", object_story_spec=wrong_page))
    assert error["error_data"]["blame_field_specs"] == [["object_story_spec", "page_id"]]


def test_updates_answer_success_and_deleted_objects_stay_deleted(sb: Sandbox) -> None:
    parent = campaign(sb)
    child = adset(sb, parent)
    assert sb.ok(sb.post(f"{child}/", daily_budget=7000)) == {"success": True}
    assert sb.error(sb.post(child, daily_budget=50))["error_subcode"] == 1885272
    assert sb.ok(sb.client.delete(f"{V}/{parent}", params={"access_token": sb.token}))["success"]
    read = sb.ok(sb.get(child, fields="status,effective_status,daily_budget"))
    assert read == {
        "id": child,
        "status": "DELETED",
        "effective_status": "DELETED",
        "daily_budget": "7000",
    }
    assert sb.error(sb.post(child, status="ACTIVE"))["code"] == 100
    unknown = sb.error(sb.get(child, fields="nope"))
    assert "nonexisting field (nope)" in unknown["message"]


# --- listings ------------------------------------------------------------------------------------
def test_edges_page_with_cursors_and_filter(sb: Sandbox) -> None:
    made = [campaign(sb, f"paging-{i} [rl:p{i}]") for i in range(7)]
    filtering = [{"field": "name", "operator": "CONTAIN", "value": "PAGING-"}]
    seen: list[str] = []
    params: dict[str, Any] = {"fields": "name", "limit": 3, "filtering": filtering, "summary": True}
    pages = 0
    while True:
        page = sb.ok(sb.get(f"{sb.account}/campaigns", **params))
        pages += 1
        seen += [row["id"] for row in page["data"]]
        assert page["summary"]["total_count"] == 7
        if "next" not in page["paging"]:
            break
        assert page["paging"]["next"].startswith("http")
        params["after"] = page["paging"]["cursors"]["after"]
    assert (seen, pages) == (made, 3)
    first = sb.ok(sb.get(f"{sb.account}/campaigns", fields="name", limit=3, filtering=filtering))
    followed = sb.ok(sb.client.get(first["paging"]["next"]))  # carries the token, like Graph's
    assert [row["id"] for row in followed["data"]] == made[3:6]
    by_id = [{"field": "id", "operator": "IN", "value": made[:2]}]
    assert len(sb.ok(sb.get(f"{sb.account}/campaigns", filtering=by_id))["data"]) == 2
    sb.ok(sb.post(made[0], status="DELETED"))
    assert len(sb.ok(sb.get(f"{sb.account}/campaigns", filtering=by_id))["data"]) == 1
    deleted = [*by_id, {"field": "effective_status", "operator": "IN", "value": ["DELETED"]}]
    assert [
        r["id"] for r in sb.ok(sb.get(f"{sb.account}/campaigns", filtering=deleted))["data"]
    ] == made[:1]


# --- batches -------------------------------------------------------------------------------------
def test_batch_runs_in_order_with_references(sb: Sandbox) -> None:
    body = "name=batched&objective=OUTCOME_TRAFFIC&special_ad_categories=%5B%5D&status=PAUSED"
    batch = [
        {"method": "POST", "relative_url": f"{sb.account}/campaigns", "body": body, "name": "c"},
        {"method": "GET", "relative_url": "v25.0/{result=c:$.id}?fields=name,status"},
        {"method": "GET", "relative_url": "999?fields=name", "name": "missing"},
        {"method": "GET", "relative_url": "{result=missing:$.id}"},
    ]
    answers = sb.ok(sb.post("", batch=batch))
    assert answers[0] is None  # referenced and successful: omitted
    assert json.loads(answers[1]["body"])["name"] == "batched" and answers[1]["code"] == 200
    assert answers[2]["code"] == 400 and json.loads(answers[2]["body"])["error"]["code"] == 100
    assert answers[3] is None  # depends on a failed request: not run
    headers = {h["name"]: h["value"] for h in answers[1]["headers"]}
    assert sb.account.removeprefix("act_") in json.loads(headers["X-Business-Use-Case-Usage"])


def test_batch_takes_at_most_50_requests(sb: Sandbox) -> None:
    batch = [{"method": "GET", "relative_url": sb.account}] * 51
    error = sb.error(sb.post("", batch=batch))
    assert error["code"] == 100 and "50" in error["message"]
    short = sb.ok(sb.post("", batch=batch[:50], include_headers=False))
    assert len(short) == 50 and "headers" not in short[0]


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
