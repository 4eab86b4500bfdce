"""The one place Graph API error objects become roasloop errors.

Codes: https://developers.facebook.com/docs/graph-api/guides/error-handling and
https://developers.facebook.com/docs/marketing-api/error-reference (shared/reference §2.5).
Graph answers errors with HTTP 400 (500 for codes 1 and 2) and
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id", "is_transient",
"error_user_title", "error_user_msg", "error_data": {"blame_field_specs": [[...]]}}}``;
``error_data`` is sometimes a JSON string. Branch on the code, not the HTTP status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from roasloop.errors import (
    PLATFORM_MESSAGE,
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
    platform_words,
)
from roasloop.platforms.meta.mapping import Usage

#: App (4), user (17), Pages (32), custom (613) and business-use-case (800xx) limits.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006,
                              80008, 80009, 80014})  # fmt: skip
#: Meta says "wait a bit" without a time when no usage header came along.
DEFAULT_THROTTLE_SECONDS = 60.0
TOKEN_CODE = 190
#: Account-level throttling (code 17) carries this subcode; the ad-set budget lock does not.
ACCOUNT_THROTTLE_SUBCODE = 2446079
#: "For each ad set, the budget is only allowed to change 4 times per hour; if it exceeds the
#: limit, the budget change for that ad set will be blocked for an hour" (rate-limiting doc).
BUDGET_CHANGES_PER_HOUR = 4
BUDGET_LOCK_SECONDS = 3600.0
#: 190 subcodes: 463 expired; the others (458 app removed, 460 password changed, 467
#: logged out, ...) mean the token is no longer valid.
TOKEN_EXPIRED_SUBCODES = frozenset({463})
AUTH_CODES = frozenset({10, 102, 104, 190, *range(200, 300)})
TRANSIENT_CODES = frozenset({1, 2})
INVALID_PARAMETER = 100
UNKNOWN_OBJECT_SUBCODE = 33
BUDGET_TOO_LOW_SUBCODE = 1885272
#: The ad account cannot pay (Marketing API error reference, "insufficient balance").
BALANCE_SUBCODES = frozenset({1487472})
#: The creative was rejected in review; code 368 is a policy block on the account or action.
CREATIVE_REJECTED_SUBCODES = frozenset({1487390})
POLICY_CODE = 368
_BALANCE_TEXT = re.compile(r"insufficient (funds|balance)|payment (method|issue)", re.I)
_PARAM_NAME = re.compile(r"(?:[Pp]aram(?:eter)?|field) \(?([a-z_][\w.\[\]]*)\)?")


def classify(error: Mapping[str, Any], http_status: int, usage: Usage | None) -> RoasloopError:
    """Map one Graph error object to our error with the platform facts in ``details``."""
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    message = str(error.get("error_user_msg") or error.get("message") or "")
    result = _by_code(code, subcode, message, error, http_status, usage)
    details: dict[str, Any] = {
        "platform": "meta",
        "platform_code": code,
        "platform_subcode": subcode,
        "platform_request_id": str(error.get("fbtrace_id", "")),
        "platform_message": str(error.get("message", "")),
    }
    if error.get("error_user_title"):
        details["platform_title"] = str(error["error_user_title"])
    return result.with_details(**details)


def _by_code(
    code: int | None,
    subcode: int | None,
    message: str,
    error: Mapping[str, Any],
    http_status: int,
    usage: Usage | None,
) -> RoasloopError:
    if code in RATE_LIMIT_CODES:
        regain = usage.regain_seconds if usage is not None else 0.0
        return RateLimited(message, retry_after=regain or DEFAULT_THROTTLE_SECONDS)
    if code == TOKEN_CODE and subcode in TOKEN_EXPIRED_SUBCODES:
        return TokenExpired(message, details={"action_url": REAUTH_ACTION_URL})
    if code in AUTH_CODES:
        return AuthenticationFailed(message, details={"action_url": REAUTH_ACTION_URL})
    if subcode in BALANCE_SUBCODES or _BALANCE_TEXT.search(message):
        return InsufficientBalance(message)
    if subcode in CREATIVE_REJECTED_SUBCODES:
        return CreativeRejected(message)
    if code == POLICY_CODE:
        return PolicyViolation(message)
    if code == INVALID_PARAMETER and subcode == UNKNOWN_OBJECT_SUBCODE:
        return NotFound(PLATFORM_MESSAGE, detail_params=platform_words(message))
    if code == INVALID_PARAMETER:
        words = platform_words(message)
        return InvalidParameter(blamed_field(error), PLATFORM_MESSAGE, detail_params=words)
    if code in TRANSIENT_CODES or error.get("is_transient") is True or http_status >= 500:
        return ServiceUnavailable(message)
    return InternalError(message)


def budget_write_error(error: RoasloopError) -> RoasloopError:
    """The error of an ad-set budget write: code 17 without the account-throttle subcode is
    the ad set's hourly budget lock, a quota (1005) that retrying within seconds cannot lift."""
    details = error.details
    locked = (
        isinstance(error, RateLimited)
        and details.get("platform_code") == 17
        and details.get("platform_subcode") != ACCOUNT_THROTTLE_SUBCODE
    )
    if not locked:
        return error
    kept = {k: v for k, v in details.items() if k != "retry_after_seconds"}
    kept["limit"] = "budget_changes_per_hour"
    return QuotaExceeded(error.detail, details=kept, retry_after=BUDGET_LOCK_SECONDS)


def blamed_field(error: Mapping[str, Any]) -> str:
    """The field Graph blames (``error_data.blame_field_specs``), else the one the message names."""
    data = error.get("error_data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            data = None
    specs = data.get("blame_field_specs") if isinstance(data, dict) else None
    if isinstance(specs, list) and specs and isinstance(specs[0], list) and specs[0]:
        return ".".join(str(part) for part in specs[0])
    match = _PARAM_NAME.search(str(error.get("message", "")))
    return match.group(1) if match else "parameters"


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
