"""The one place TikTok envelope codes become roasloop errors.

Codes: ``tiktok_business/tiktok_code.py`` (NumericErrorCodes) in the official SDK and
https://business-api.tiktok.com/portal/docs?id=1737172488964097 (shared/reference §1.5).
TikTok reports application errors with HTTP 200 and a non-zero ``code``.
"""

from __future__ import annotations

import re

from roasloop.errors import (
    PLATFORM_MESSAGE,
    REAUTH_ACTION_URL,
    AdAccountNotBound,
    AuthenticationFailed,
    CreativeRejected,
    InsufficientBalance,
    InternalError,
    InvalidParameter,
    NotFound,
    RateLimited,
    RoasloopError,
    ServiceUnavailable,
    TokenExpired,
    platform_words,
)

RATE_LIMIT_CODES = frozenset({40100, 40016, 40133, 61000})
#: QPS limits recover in the next second; TikTok sends no Retry-After.
RATE_LIMIT_RETRY_AFTER_SECONDS = 1.0
AUTH_CODES = frozenset({40101, 40104, 40105, 40107, 40110, 40001})
TOKEN_EXPIRED_CODES = frozenset({40102, 40103})
PARAMETER_CODES = frozenset({40000, 40002, 40006, 40011, 40502})
NOT_FOUND_CODES = frozenset({40007})
BALANCE_CODES = frozenset({40203})
FILE_REJECTED_CODES = frozenset(range(40900, 40917))
SYSTEM_CODES = frozenset({50000, 50002, 60001})

_FIELD_PREFIX = re.compile(r"^\s*([A-Za-z_][\w.\[\]]*)\s*:")


def classify(code: int, message: str, request_id: str) -> RoasloopError:
    """Map one TikTok envelope to our error with the platform facts in ``details``."""
    details = {"platform": "tiktok", "platform_code": code, "platform_request_id": request_id}
    error = _by_code(code, message)
    return error.with_details(**details, platform_message=message)


def _by_code(code: int, message: str) -> RoasloopError:
    if code in RATE_LIMIT_CODES:
        return RateLimited(message, retry_after=RATE_LIMIT_RETRY_AFTER_SECONDS)
    if code in SYSTEM_CODES or 51000 <= code <= 51099:
        return ServiceUnavailable(message)
    if code in TOKEN_EXPIRED_CODES:
        return TokenExpired(message, details={"action_url": REAUTH_ACTION_URL})
    if code in AUTH_CODES:
        return AuthenticationFailed(message)
    if code in PARAMETER_CODES:
        field = platform_field(message)
        return InvalidParameter(field, PLATFORM_MESSAGE, detail_params=platform_words(message))
    if code in NOT_FOUND_CODES:
        return NotFound(PLATFORM_MESSAGE, detail_params=platform_words(message))
    if code == 40300:
        return AdAccountNotBound(message)
    if code in BALANCE_CODES:
        return InsufficientBalance(message)
    if code in FILE_REJECTED_CODES:
        return CreativeRejected(message)
    return InternalError(message)


def platform_field(message: str) -> str:
    """The field a TikTok parameter message starts with (``"budget: ..."``), if any."""
    match = _FIELD_PREFIX.match(message)
    return match.group(1) if match else "parameters"
