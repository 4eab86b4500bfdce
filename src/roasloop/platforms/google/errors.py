"""The one place Google Ads API and Google OAuth errors become roasloop errors.

Shapes (https://developers.google.com/google-ads/api/docs/best-practices/understand-api-errors,
shared/reference §3.4): ``{"error": {"code", "message", "status", "details": [...]}}`` whose
details hold a ``GoogleAdsFailure`` (``errors[].errorCode {category: ENUM}``,
``location.fieldPathElements``, ``requestId``) or, for JSON the REST front end could not map,
a ``google.rpc.BadRequest`` (``fieldViolations[].field``). The OAuth token endpoint answers
``{"error": "invalid_grant", "error_description": ...}``.

Quota: ``quotaError`` ``RESOURCE_TEMPORARILY_EXHAUSTED`` (and short-term query consumption)
are per-second rate limits → ``RateLimited`` (1003, retried after ``retryDelay``).
``RESOURCE_EXHAUSTED`` covers both the per-developer rate and the daily operations quota
(https://developers.google.com/google-ads/api/docs/best-practices/quotas); the two differ by
``retryDelay``: up to :data:`RATE_LIMIT_MAX_DELAY_SECONDS` it is a rate limit worth waiting
for, beyond it the daily quota → ``QuotaExceeded`` (1005, not retried, ``retry_after`` says
when the quota resets). Other quota errors are quota exhaustion too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from roasloop.errors import (
    PLATFORM_MESSAGE,
    REAUTH_ACTION_URL,
    AuthenticationFailed,
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

RATE_LIMIT_MAX_DELAY_SECONDS = 60.0
SHORT_TERM_QUOTA = frozenset(
    {"RESOURCE_TEMPORARILY_EXHAUSTED", "EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION"}
)
#: The user must authorise again (6001 with the re-authorisation link).
REAUTHORIZE = frozenset({"OAUTH_TOKEN_EXPIRED", "OAUTH_TOKEN_REVOKED"})
#: An access token the adapter can replace with a fresh one before anything is raised.
STALE_ACCESS_TOKEN = frozenset(
    {"authenticationError.OAUTH_TOKEN_EXPIRED", "authenticationError.OAUTH_TOKEN_INVALID"}
)
POLICY = frozenset({"policyViolationError", "policyFindingError"})
SERVER_STATUSES = frozenset({"INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "UNKNOWN"})
#: OAuth errors meaning the refresh token (the account's grant) is no longer valid.
OAUTH_REAUTHORIZE = frozenset({"invalid_grant"})

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")
_VERBS = ("create", "update", "remove")


def classify(status_code: int, payload: object, request_id: str = "") -> RoasloopError:
    """Map one error response (HTTP status and decoded JSON body) to our error."""
    body = payload if isinstance(payload, dict) else {}
    if isinstance(body.get("error"), str):
        return _oauth(status_code, body)
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    assert isinstance(error, dict)
    status = str(error.get("status", ""))
    message = str(error.get("message", "")) or f"HTTP {status_code}"
    failure = _detail(error, "GoogleAdsFailure")
    first = (failure.get("errors") or [{}])[0]
    category, code = _error_code(first)
    result = _by_code(status_code, status, category, code, first, error, message)
    return result.with_details(
        platform="google",
        platform_code=f"{category}.{code}" if category else status or str(status_code),
        platform_status=status,
        platform_request_id=str(failure.get("requestId") or request_id),
        platform_message=str(first.get("message") or message),
    )


def is_stale_access_token(error: RoasloopError) -> bool:
    """Whether a fresh access token may cure ``error`` (expired or unknown access token)."""
    return error.details.get("platform_code") in STALE_ACCESS_TOKEN


def retry_delay(error: Mapping[str, Any]) -> float | None:
    """``quotaErrorDetails.retryDelay`` (a protobuf Duration, e.g. ``"30s"``) in seconds."""
    details = error.get("details") or {}
    raw = (details.get("quotaErrorDetails") or {}).get("retryDelay") if details else None
    match = _DURATION.match(str(raw)) if raw is not None else None
    return float(match.group(1)) if match else None


def field_path(error: Mapping[str, Any]) -> tuple[str, str]:
    """(field within the operation, full path) from ``location.fieldPathElements``."""
    elements = (error.get("location") or {}).get("fieldPathElements") or []
    parts = [
        f"{e.get('fieldName')}[{e['index']}]" if "index" in e else str(e.get("fieldName"))
        for e in elements
    ]
    full = ".".join(parts)
    names = [str(e.get("fieldName")) for e in elements]
    cut = max((i for i, name in enumerate(names) if name in _VERBS), default=-1)
    return ".".join(parts[cut + 1 :]) or full, full


def _by_code(
    status_code: int,
    status: str,
    category: str,
    code: str,
    first: Mapping[str, Any],
    error: Mapping[str, Any],
    message: str,
) -> RoasloopError:
    text = str(first.get("message") or message)
    if category == "quotaError" or status_code == 429 or status == "RESOURCE_EXHAUSTED":
        return _quota(code, retry_delay(first), text)
    if status_code >= 500 or status in SERVER_STATUSES or category == "internalError":
        return ServiceUnavailable(text)
    if category == "authenticationError" and code in REAUTHORIZE:
        return TokenExpired(text, details={"action_url": REAUTH_ACTION_URL})
    if category in ("authenticationError", "authorizationError") or status_code in (401, 403):
        return AuthenticationFailed(text)
    field, full = field_path(first)
    if category in POLICY:
        trigger = (first.get("trigger") or {}).get("stringValue")
        return PolicyViolation(text, details={"field": field, "trigger": trigger})
    if (category == "mutateError" and code == "RESOURCE_NOT_FOUND") or status == "NOT_FOUND":
        details = {"field": field, "platform_field_path": full}
        return NotFound(PLATFORM_MESSAGE, details=details, detail_params=platform_words(text))
    if category:
        return InvalidParameter(
            field or "parameters",
            PLATFORM_MESSAGE,
            details={"platform_field_path": full},
            detail_params=platform_words(text),
        )
    violation = (_detail(error, "BadRequest").get("fieldViolations") or [{}])[0]
    if violation or status == "INVALID_ARGUMENT":
        field = str(violation.get("field") or "parameters")
        return InvalidParameter(field, PLATFORM_MESSAGE, detail_params=platform_words(text))
    return InternalError(text)


def _quota(code: str, delay: float | None, message: str) -> RoasloopError:
    short_term = (
        code in SHORT_TERM_QUOTA
        or code == ""
        or (
            code == "RESOURCE_EXHAUSTED"
            and (delay is None or delay <= RATE_LIMIT_MAX_DELAY_SECONDS)
        )
    )
    if short_term:
        return RateLimited(message, retry_after=delay)
    return QuotaExceeded(message, retry_after=delay)


def _oauth(status_code: int, body: Mapping[str, Any]) -> RoasloopError:
    error = str(body.get("error"))
    text = str(body.get("error_description") or error)
    details = {"platform": "google", "platform_code": f"oauth.{error}", "platform_message": text}
    if error in OAUTH_REAUTHORIZE:
        return TokenExpired(text, details={"action_url": REAUTH_ACTION_URL, **details})
    if status_code >= 500:
        return ServiceUnavailable(text, details=details)
    return AuthenticationFailed(text, details=details)


def _detail(error: Mapping[str, Any], type_suffix: str) -> dict[str, Any]:
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith(type_suffix):
            return detail
    return {}


def _error_code(error: Mapping[str, Any]) -> tuple[str, str]:
    codes = error.get("errorCode") or {}
    if isinstance(codes, dict) and codes:
        category, code = next(iter(codes.items()))
        return str(category), str(code)
    return "", ""
