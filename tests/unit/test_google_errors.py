"""The Google Ads error classifier on recorded payload shapes (shared/reference §3.4)."""

from __future__ import annotations

from typing import Any

import pytest

from roasloop.errors import (
    REAUTH_ACTION_URL,
    AuthenticationFailed,
    InternalError,
    InvalidParameter,
    NotFound,
    PolicyViolation,
    QuotaExceeded,
    RateLimited,
    ServiceUnavailable,
    TokenExpired,
)
from roasloop.platforms.google.errors import classify, is_stale_access_token

FAILURE = "type.googleapis.com/google.ads.googleads.v25.errors.GoogleAdsFailure"


def google_error(
    code: int, status: str, errors: list[dict[str, Any]], message: str = "", request_id: str = "r1"
) -> dict[str, Any]:
    details = [{"@type": FAILURE, "errors": errors, "requestId": request_id}]
    return {"error": {"code": code, "message": message, "status": status, "details": details}}


def quota(enum: str, delay: str | None) -> dict[str, Any]:
    details = {"quotaErrorDetails": {"rateScope": "DEVELOPER", "rateName": "ops"}}
    if delay is not None:
        details["quotaErrorDetails"]["retryDelay"] = delay
    error = {"errorCode": {"quotaError": enum}, "message": "Too many requests.", "details": details}
    return google_error(429, "RESOURCE_EXHAUSTED", [error], "Resource has been exhausted.")


def test_recorded_rate_limit_is_retryable_with_the_retry_delay() -> None:
    # The reference payload: quotaError RESOURCE_EXHAUSTED with retryDelay "30s".
    payload = quota("RESOURCE_EXHAUSTED", "30s")
    payload["error"]["details"][0]["requestId"] = "ctPQxfy09Y6rARFlyeiW6w"
    error = classify(429, payload)
    assert isinstance(error, RateLimited) and error.retryable
    assert error.retry_after == 30.0
    assert error.details["platform"] == "google"
    assert error.details["platform_code"] == "quotaError.RESOURCE_EXHAUSTED"
    assert error.details["platform_status"] == "RESOURCE_EXHAUSTED"
    assert error.details["platform_request_id"] == "ctPQxfy09Y6rARFlyeiW6w"


def test_daily_quota_is_not_retried_and_says_when_it_resets() -> None:
    error = classify(429, quota("RESOURCE_EXHAUSTED", "44391s"))
    assert isinstance(error, QuotaExceeded) and not error.retryable
    assert error.retry_after == 44391.0 and error.code == "1005"


@pytest.mark.parametrize(
    ("enum", "delay", "kind", "hint"),
    [
        ("RESOURCE_TEMPORARILY_EXHAUSTED", "2.5s", RateLimited, 2.5),
        ("RESOURCE_TEMPORARILY_EXHAUSTED", None, RateLimited, None),
        ("EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION", "10s", RateLimited, 10.0),
        ("RESOURCE_EXHAUSTED", None, RateLimited, None),
        ("EXCESSIVE_LONG_TERM_QUERY_RESOURCE_CONSUMPTION", "3600s", QuotaExceeded, 3600.0),
    ],
)
def test_quota_errors_by_enum(enum: str, delay: str | None, kind: type, hint: float | None) -> None:
    error = classify(429, quota(enum, delay))
    assert isinstance(error, kind) and error.retry_after == hint


def test_expired_oauth_token_asks_for_reauthorisation() -> None:
    errors = [{"errorCode": {"authenticationError": "OAUTH_TOKEN_EXPIRED"}, "message": "expired"}]
    error = classify(401, google_error(401, "UNAUTHENTICATED", errors))
    assert isinstance(error, TokenExpired) and error.code == "6001"
    assert error.details["action_url"] == REAUTH_ACTION_URL
    assert is_stale_access_token(error)


@pytest.mark.parametrize(
    ("status_code", "status", "category", "enum"),
    [
        (401, "UNAUTHENTICATED", "authenticationError", "DEVELOPER_TOKEN_INVALID"),
        (401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_INVALID"),
        (403, "PERMISSION_DENIED", "authorizationError", "USER_PERMISSION_DENIED"),
        (403, "PERMISSION_DENIED", "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED"),
    ],
)
def test_other_auth_errors_are_1002(
    status_code: int, status: str, category: str, enum: str
) -> None:
    errors = [{"errorCode": {category: enum}, "message": "no"}]
    error = classify(status_code, google_error(status_code, status, errors))
    assert isinstance(error, AuthenticationFailed) and error.code == "1002"
    assert error.details["platform_code"] == f"{category}.{enum}"


def test_missing_credentials_without_ads_failure_is_1002() -> None:
    payload = {
        "error": {"code": 401, "message": "Request is missing ...", "status": "UNAUTHENTICATED"}
    }
    assert isinstance(classify(401, payload), AuthenticationFailed)


def test_invalid_argument_names_the_field_from_field_path_elements() -> None:
    location = {
        "fieldPathElements": [
            {"fieldName": "operations", "index": 0},
            {"fieldName": "create"},
            {"fieldName": "amount_micros"},
        ]
    }
    errors = [
        {
            "errorCode": {"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"},
            "message": "not a multiple",
            "location": location,
        }
    ]
    error = classify(400, google_error(400, "INVALID_ARGUMENT", errors))
    assert isinstance(error, InvalidParameter) and error.field == "amount_micros"
    assert error.details["platform_field_path"] == "operations[0].create.amount_micros"
    assert (
        error.details["platform_code"]
        == "campaignBudgetError.NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"
    )


def test_mixed_resource_mutate_paths_drop_the_operation_prefix() -> None:
    location = {
        "fieldPathElements": [
            {"fieldName": "mutate_operations", "index": 4},
            {"fieldName": "ad_group_ad_operation"},
            {"fieldName": "create"},
            {"fieldName": "ad"},
            {"fieldName": "demand_gen_multi_asset_ad"},
            {"fieldName": "headlines", "index": 0},
            {"fieldName": "text"},
        ]
    }
    errors = [
        {"errorCode": {"stringLengthError": "TOO_LONG"}, "message": "long", "location": location}
    ]
    error = classify(400, google_error(400, "INVALID_ARGUMENT", errors))
    assert isinstance(error, InvalidParameter)
    assert error.field == "ad.demand_gen_multi_asset_ad.headlines[0].text"


def test_rest_front_end_bad_request_names_the_field() -> None:
    violation = {
        "field": "operations[0].create.status",
        "description": "Invalid value at 'operations[0].create.status' (...), \"FOO\"",
    }
    payload = {
        "error": {
            "code": 400,
            "message": violation["description"],
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [violation],
                }
            ],
        }
    }
    error = classify(400, payload)
    assert isinstance(error, InvalidParameter) and error.field == "operations[0].create.status"
    assert error.details["platform_code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize("category", ["policyFindingError", "policyViolationError"])
def test_policy_errors_are_6005(category: str) -> None:
    errors = [
        {
            "errorCode": {category: "POLICY_FINDING"},
            "message": "disapproved",
            "trigger": {"stringValue": "miracle cure"},
        }
    ]
    error = classify(400, google_error(400, "INVALID_ARGUMENT", errors))
    assert isinstance(error, PolicyViolation) and error.code == "6005"
    assert error.details["trigger"] == "miracle cure"


@pytest.mark.parametrize(
    ("status_code", "status", "category"),
    [
        (500, "INTERNAL", "internalError"),
        (503, "UNAVAILABLE", "internalError"),
        (504, "DEADLINE_EXCEEDED", ""),
    ],
)
def test_server_errors_are_retryable_4000(status_code: int, status: str, category: str) -> None:
    errors = [{"errorCode": {category: "INTERNAL_ERROR"}, "message": "oops"}] if category else []
    error = classify(status_code, google_error(status_code, status, errors))
    assert isinstance(error, ServiceUnavailable) and error.retryable and error.code == "4000"


def test_resource_not_found_is_1004_and_unknown_shapes_are_1000() -> None:
    errors = [{"errorCode": {"mutateError": "RESOURCE_NOT_FOUND"}, "message": "gone"}]
    assert isinstance(classify(400, google_error(400, "INVALID_ARGUMENT", errors)), NotFound)
    assert isinstance(classify(418, "not json"), InternalError)


def test_oauth_endpoint_errors() -> None:
    revoked = classify(
        400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    )
    assert isinstance(revoked, TokenExpired)
    assert revoked.details["action_url"] == REAUTH_ACTION_URL
    assert revoked.details["platform_code"] == "oauth.invalid_grant"
    client = classify(
        401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
    )
    assert isinstance(client, AuthenticationFailed)
    assert isinstance(classify(503, {"error": "temporarily_unavailable"}), ServiceUnavailable)
