"""Retries, timeouts, error mapping and idempotent creates, with failures injected on the wire."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from tests.integration.conftest import PROPERTY
from tests.integration.harness import Harness


def _path(request: httpx.Request) -> str:
    return request.url.path.removeprefix("/open_api/v1.3")


def fail_first(n: int, failure: int | str, path: str) -> object:
    """A script failing the first ``n`` requests to ``path`` with ``failure``."""
    seen = {"count": 0}

    def script(request: httpx.Request) -> int | str | None:
        if _path(request) != path:
            return None
        seen["count"] += 1
        return failure if seen["count"] <= n else None

    return script


# Feature: campaign-automation, Property 9: API 重试机制
# Feature: campaign-automation, Property 18: 超时处理
@given(failures=st.integers(0, 5), failure=st.sampled_from([40100, 50000, 51003, "timeout"]))
@PROPERTY
def test_property_9_retries_retryable_errors_up_to_three_attempts(
    shared: Harness, failures: int, failure: int | str
) -> None:
    user = shared.new_user()
    creatives = shared.creatives(user, 1)
    shared.sleeps.clear()
    shared.transport.script = fail_first(failures, failure, "/campaign/create/")
    result = shared.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": creatives},
        user=user,
    )
    shared.transport.script = lambda request: None
    # 40100 carries a retry hint (1 s); otherwise full jitter: uniform up to 1 s, 2 s, 4 s …
    ceilings = [1.0 if failure == 40100 else 2.0**i for i in range(min(failures, 2))]
    if failures < 3:
        assert result["status"] == "success", result
        assert len(shared.sleeps) == failures
    else:
        assert result["status"] == "error"
        error = result["error"]
        assert error["code"] == ("1003" if failure == 40100 else "4000")
        assert error["details"]["attempts"] == 3
        assert len(shared.sleeps) == 2
    for slept, ceiling in zip(shared.sleeps, ceilings, strict=False):
        assert 0 <= slept <= ceiling
        if failure == 40100:
            assert slept == ceiling
    if failures >= 3:
        assert error["details"]["left_paused"] is False


def test_non_retryable_errors_are_not_retried(fresh: Harness) -> None:
    creatives = fresh.creatives("u1", 1)
    fresh.transport.script = fail_first(10, 40002, "/campaign/create/")
    result = fresh.execute(
        "create_campaign", {"objective": "sales", "daily_budget": 90, "creative_ids": creatives}
    )
    assert result["status"] == "error" and result["error"]["code"] == "1001"
    assert fresh.sleeps == []
    assert result["error"]["details"]["platform_code"] == 40002


# Feature: campaign-automation, Property 15: 平台错误处理
@given(
    code=st.sampled_from(
        [40001, 40002, 40100, 40102, 40104, 40105, 40300, 40900, 50000, 51010, 40999]
    )
)
@PROPERTY
def test_property_15_platform_errors_become_clear_errors(shared: Harness, code: int) -> None:
    user = shared.new_user()
    creatives = shared.creatives(user, 1)
    shared.transport.script = fail_first(10, code, "/campaign/create/")
    result = shared.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": creatives},
        user=user,
    )
    shared.transport.script = lambda request: None
    assert result["status"] == "error"
    error = result["error"]
    assert error["code"] in {"1001", "1002", "1003", "1000", "4000", "6000", "6001", "6003"}
    assert error["details"]["platform"] == "tiktok"
    assert error["details"]["platform_code"] == code
    assert error["details"]["platform_request_id"] == "SCRIPTED"
    assert error["message"] and error["messages"]["zh-CN"] and error["messages"]["en"]
    assert error["timestamp"] and error["request_id"] == result["request_id"]
    assert "Traceback" not in str(result)


def test_partial_failure_leaves_campaign_paused_and_resume_completes_without_duplicates(
    fresh: Harness,
) -> None:
    creatives = fresh.creatives("u1", 2)
    params = {
        "objective": "sales",
        "daily_budget": 120,
        "creative_ids": creatives,
        "idempotency_key": "k-1",
    }
    calls = {"adgroups": 0}

    def third_adgroup_fails(request: httpx.Request) -> int | None:
        if _path(request) == "/adgroup/create/":
            calls["adgroups"] += 1
            return 50000 if calls["adgroups"] >= 3 else None
        return None

    fresh.transport.script = third_adgroup_fails
    failed = fresh.execute("create_campaign", params)
    assert failed["status"] == "error" and failed["error"]["code"] == "4000"
    details = failed["error"]["details"]
    assert details["left_paused"] is True and details["idempotency_key"] == "k-1"
    assert len(details["created"]["adset_ids"]) == 2 and details["created"]["ad_ids"] == []
    campaign = fresh.world.get("campaign", details["created"]["campaign_id"])
    assert campaign["operation_status"] == "DISABLE"

    fresh.transport.script = lambda request: None
    resumed = fresh.execute("create_campaign", params)
    assert resumed["status"] == "success", resumed
    assert resumed["campaign_id"] == details["created"]["campaign_id"]
    assert len(fresh.docs("campaign")) == 1
    assert len(fresh.docs("adgroup")) == 3
    assert len(fresh.docs("ad")) == 6
    assert fresh.world.get("campaign", resumed["campaign_id"])["operation_status"] == "ENABLE"
    again = fresh.execute("create_campaign", params)
    assert again["campaign_id"] == resumed["campaign_id"] and len(fresh.docs("ad")) == 6


@given(
    lose=st.sets(
        st.sampled_from(["/campaign/create/", "/adgroup/create/", "/ad/create/"]), min_size=1
    )
)
@PROPERTY
def test_lost_create_responses_never_duplicate_objects(shared: Harness, lose: set[str]) -> None:
    user = shared.new_user()
    creatives = shared.creatives(user, 2)
    lost: set[str] = set()

    def lose_first_of_each(request: httpx.Request) -> str | None:
        path = _path(request)
        if path in lose and path not in lost:
            lost.add(path)
            return "lose"
        return None

    before = {kind: len(shared.docs(kind)) for kind in ("campaign", "adgroup", "ad")}
    shared.transport.script = lose_first_of_each
    result = shared.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": creatives},
        user=user,
    )
    shared.transport.script = lambda request: None
    assert result["status"] == "success", result
    after = {kind: len(shared.docs(kind)) - before[kind] for kind in before}
    assert after == {"campaign": 1, "adgroup": 3, "ad": 6}


def test_invalid_input_changes_nothing_and_names_the_field(fresh: Harness) -> None:
    creatives = fresh.creatives("u1", 1)
    cases = [
        (
            "create_campaign",
            {"objective": "sales", "daily_budget": -5, "creative_ids": creatives},
            "daily_budget",
        ),
        (
            "create_campaign",
            {"objective": "fame", "daily_budget": 90, "creative_ids": creatives},
            "objective",
        ),
        (
            "create_campaign",
            {"objective": "sales", "daily_budget": 90, "creative_ids": []},
            "creative_ids",
        ),
        (
            "create_campaign",
            {"objective": "sales", "daily_budget": 30, "creative_ids": creatives},
            "daily_budget",
        ),
        (
            "create_campaign",
            {"objective": "sales", "daily_budget": 90, "creative_ids": ["nope"]},
            "creative_ids[0]",
        ),
        (
            "create_campaign",
            {
                "objective": "sales",
                "daily_budget": 90,
                "creative_ids": creatives,
                "target_countries": ["US", "ZZ"],
            },
            "target_countries[1]",
        ),
        (
            "create_campaign",
            {
                "objective": "sales",
                "daily_budget": 90,
                "creative_ids": creatives,
                "age_groups": [[40, 30]],
            },
            "age_groups[0]",
        ),
        (
            "create_campaign",
            {
                "objective": "sales",
                "daily_budget": 90,
                "creative_ids": creatives,
                "platform": "myspace",
            },
            "platform",
        ),
        ("launch_rocket", {}, "action"),
        ("manage_campaign", {"campaign_id": "123", "operation": "pause"}, "campaign_id"),
        ("manage_campaign", {"campaign_id": "123", "operation": "explode"}, "operation"),
        (
            "create_rule",
            {
                "rule_name": "r",
                "condition": {"metric": "vibes", "operator": ">", "value": 1},
                "action": {"type": "pause_adset"},
            },
            "condition.metric",
        ),
    ]
    before = {kind: len(fresh.docs(kind)) for kind in ("campaign", "adgroup", "ad", "video")}
    for action, params, field in cases:
        result = fresh.execute(action, params)
        assert result["status"] == "error", (action, params)
        assert result["error"]["details"].get("field") == field, (field, result["error"])
        assert result["mode"] == "sandbox"
        assert set(result["error"]) >= {
            "code",
            "type",
            "message",
            "details",
            "timestamp",
            "request_id",
        }
    after = {kind: len(fresh.docs(kind)) for kind in before}
    assert after == before


def test_missing_user_id_is_rejected(fresh: Harness) -> None:
    result = fresh.runner.run(fresh.module.execute("check_rules", {}, {}))
    assert result["status"] == "error" and result["error"]["details"]["field"] == "context.user_id"


def test_tenants_cannot_touch_each_others_campaigns(fresh: Harness) -> None:
    created = fresh.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 90, "creative_ids": fresh.creatives("alice", 1)},
        user="alice",
    )
    for action in ("manage_campaign", "get_campaign_status", "optimize_budget"):
        params = {"campaign_id": created["campaign_id"], "operation": "delete", "target_roas": 2}
        result = fresh.execute(action, params, user="mallory")
        assert result["status"] == "error" and result["error"]["code"] == "1004", action
    assert fresh.world.get("campaign", created["campaign_id"])["operation_status"] == "ENABLE"
