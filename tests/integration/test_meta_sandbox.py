"""The Meta sandbox over HTTP: auth, validation, listings and batches."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.meta.api import MetaSandboxConfig
from tests.integration.meta_sandbox_rig import (
    TARGETING,
    Sandbox,
    V,
    adset,
    adset_params,
    build,
    campaign,
    video,
)


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
