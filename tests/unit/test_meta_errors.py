"""The Meta error classifier on recorded Graph error objects (reference §2.5)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from roasloop.errors import (
    REAUTH_ACTION_URL,
    AuthenticationFailed,
    CreativeRejected,
    InsufficientBalance,
    InternalError,
    InvalidParameter,
    NotFound,
    PolicyViolation,
    QuotaExceeded,
    RateLimited,
    RoasloopError,
    ServiceUnavailable,
    TokenExpired,
)
from roasloop.platforms.meta.errors import (
    ACCOUNT_THROTTLE_SUBCODE,
    BUDGET_LOCK_SECONDS,
    DEFAULT_THROTTLE_SECONDS,
    budget_write_error,
    classify,
)
from roasloop.platforms.meta.mapping import Usage


def graph_error(code: int, subcode: int | None = None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": extra.pop("message", f"(#{code}) something"),
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
        "is_transient": extra.pop("is_transient", False),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return error | extra


def test_expired_token_asks_for_reauthorisation() -> None:
    error = classify(graph_error(190, 463, message="Session has expired"), 400, None)
    assert isinstance(error, TokenExpired) and error.code == "6001"
    assert error.details["action_url"] == REAUTH_ACTION_URL
    assert error.details["platform_code"] == 190
    assert error.details["platform_subcode"] == 463
    assert error.details["platform_request_id"] == "AbCdEfGhIjK"
    assert not error.retryable


@pytest.mark.parametrize(("code", "subcode"), [(190, 467), (190, 460), (190, None), (104, None)])
def test_other_token_problems_are_authentication_failures(code: int, subcode: int | None) -> None:
    error = classify(graph_error(code, subcode), 400, None)
    assert isinstance(error, AuthenticationFailed) and error.code == "1002"


def test_invalid_parameter_names_the_blamed_field() -> None:
    payload = graph_error(
        100,
        1885272,
        message="Invalid parameter",
        error_user_title="Budget is too low",
        error_user_msg="Your budget must be at least $1.00.",
        error_data={"blame_field_specs": [["daily_budget"]]},
    )
    error = classify(payload, 400, None)
    assert isinstance(error, InvalidParameter)
    assert error.field == "daily_budget"
    assert error.detail == "Your budget must be at least $1.00."
    assert error.details["platform_title"] == "Budget is too low"


def test_blame_specs_may_come_as_a_json_string_or_only_in_the_message() -> None:
    as_text = graph_error(
        100, error_data=json.dumps({"blame_field_specs": [["targeting", "age_max"]]})
    )
    assert isinstance(error := classify(as_text, 400, None), InvalidParameter)
    assert error.field == "targeting.age_max"
    named = graph_error(100, message="(#100) Param objective must be one of {OUTCOME_SALES}")
    assert classify(named, 400, None).details["field"] == "objective"
    required = graph_error(100, message="(#100) The parameter special_ad_categories is required")
    assert classify(required, 400, None).details["field"] == "special_ad_categories"


def test_unknown_objects_are_not_found() -> None:
    payload = graph_error(100, 33, message="Unsupported get request. Object with ID '1'...")
    assert isinstance(classify(payload, 400, None), NotFound)


@pytest.mark.parametrize(
    ("code", "subcode"), [(4, None), (17, 2446079), (613, 1487742), (80004, 2446079), (80000, None)]
)
def test_throttling_waits_for_the_regain_time(code: int, subcode: int | None) -> None:
    error = classify(graph_error(code, subcode, is_transient=True), 400, Usage(100, 300))
    assert isinstance(error, RateLimited) and error.code == "1003" and error.retryable
    assert error.retry_after == 300
    without_header = classify(graph_error(code, subcode), 400, None)
    assert without_header.retry_after == DEFAULT_THROTTLE_SECONDS


@pytest.mark.parametrize(
    ("payload", "status"),
    [(graph_error(2, is_transient=True), 500), (graph_error(1), 500), (graph_error(9999), 503)],
)
def test_transient_and_server_errors_are_retryable(payload: dict[str, Any], status: int) -> None:
    error = classify(payload, status, None)
    assert isinstance(error, ServiceUnavailable) and error.code == "4000" and error.retryable


@pytest.mark.parametrize(
    ("payload", "kind", "code"),
    [
        (graph_error(100, 1487472), InsufficientBalance, "6002"),
        (graph_error(2635, message="Insufficient funds"), InsufficientBalance, "6002"),
        (graph_error(100, 1487390), CreativeRejected, "6003"),
        (graph_error(368, 1404078), PolicyViolation, "6005"),
        (graph_error(9999), InternalError, "1000"),
    ],
)  # fmt: skip
def test_money_review_and_unknown_errors(
    payload: dict[str, Any], kind: type[RoasloopError], code: str
) -> None:
    error = classify(payload, 400, None)
    assert isinstance(error, kind) and error.code == code
    assert error.details["platform"] == "meta"


def test_code_17_on_a_budget_write_is_the_ad_set_s_hourly_lock() -> None:
    error = classify(graph_error(17, message="User request limit reached"), 400, None)
    locked = budget_write_error(error)
    assert isinstance(locked, QuotaExceeded) and not locked.retryable
    assert locked.retry_after == BUDGET_LOCK_SECONDS
    assert locked.details["retry_after_seconds"] == BUDGET_LOCK_SECONDS
    assert locked.details["platform_code"] == 17 and locked.details["platform_request_id"]


def test_account_throttling_and_other_errors_stay_what_they_are() -> None:
    throttled = classify(graph_error(17, ACCOUNT_THROTTLE_SUBCODE), 400, None)
    assert budget_write_error(throttled) is throttled
    assert isinstance(throttled, RateLimited)
    invalid = classify(graph_error(100, message="Invalid parameter"), 400, None)
    assert budget_write_error(invalid) is invalid
