"""One exception tree with the seed's error codes, and one mapping to responses.

::

    RoasloopError                      code  type
    ├── InvalidParameter               1001  INVALID_PARAMETER   (details.field names the input)
    ├── AuthenticationFailed           1002  AUTH_FAILED
    ├── RateLimited                    1003  API_RATE_LIMIT      (retryable, retry_after)
    ├── NotFound                       1004  NOT_FOUND           (roasloop extension)
    ├── QuotaExceeded                  1005  QUOTA_EXCEEDED      (retry_after)
    ├── RequestInProgress              1006  REQUEST_IN_PROGRESS (roasloop extension; retryable)
    ├── ServiceUnavailable             4000  SERVICE_UNAVAILABLE (retryable)
    ├── AIModelTimeout                 4001  AI_MODEL_TIMEOUT    (retryable)
    ├── GenerationFailed               4003  GENERATION_FAILED
    ├── CreativeNotFound               5000  CREATIVE_NOT_FOUND
    ├── AdAccountNotBound              6000  AD_ACCOUNT_NOT_BOUND
    ├── TokenExpired                   6001  AD_ACCOUNT_TOKEN_EXPIRED (details.action_url)
    ├── InsufficientBalance            6002  INSUFFICIENT_BALANCE
    ├── CreativeRejected               6003  CREATIVE_REJECTED
    ├── PolicyViolation                6005  POLICY_VIOLATION
    └── InternalError                  1000  UNKNOWN_ERROR

Platform errors keep the platform's own code and request id in ``details``
(``platform``, ``platform_code``, ``platform_request_id``). Messages come from
:mod:`roasloop.i18n` in English and Simplified Chinese: an error's ``detail`` is an English
msgid of the catalogs (marked ``N_("…")`` where it is raised) whose ``{placeholders}`` are
filled from ``detail_params``, so each language gets its own sentence; a platform's own words
are passed as a parameter of such a sentence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import ValidationError

from roasloop.i18n import CATALOG, render
from roasloop.translations import N_, LocalizedValueError, fill, render_text, translate


class RoasloopError(Exception):
    """Base of every error roasloop reports to a caller."""

    code: ClassVar[str] = "1000"
    type: ClassVar[str] = "UNKNOWN_ERROR"
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        detail: str = "",
        *,
        details: dict[str, Any] | None = None,
        retry_after: float | None = None,
        detail_key: str | None = None,
        detail_params: dict[str, Any] | None = None,
    ) -> None:
        #: A catalog key that says ``detail`` in every language (``detail`` is English).
        self.detail_key = detail_key
        self.detail_params = dict(detail_params or {})
        #: ``detail`` as given: without a ``detail_key``, a msgid filled from ``detail_params``.
        self.detail_msgid = detail
        filled = detail_key is None and bool(self.detail_params)
        #: The English sentence.
        self.detail = fill(detail, self.detail_params) if filled else detail
        super().__init__(self.detail or self.type)
        self.details: dict[str, Any] = dict(details or {})
        self.retry_after = retry_after
        if retry_after is not None:
            self.details.setdefault("retry_after_seconds", retry_after)

    def message(self, locale: str) -> str:
        """The user-facing sentence in ``locale`` (``en`` or ``zh-CN``)."""
        return render(self.type, locale, **{**self.details, "detail": self.detail_in(locale)})

    def detail_in(self, locale: str) -> str:
        """``detail`` in ``locale``: text outside the catalogs (none of ours) stays as given."""
        if self.detail_key is not None:
            return render(self.detail_key, locale, msg=self.detail, **self.detail_params)
        if self.detail_params:
            return render_text(self.detail_msgid, locale, **self.detail_params)
        return translate(self.detail_msgid, locale)

    def with_details(self, **extra: Any) -> RoasloopError:
        self.details.update(extra)
        return self


#: A platform's own words, passed on as they are (other languages say where they come from).
PLATFORM_MESSAGE = N_("{platform_message}")


def platform_words(message: str) -> dict[str, Any]:
    """The ``detail_params`` of :data:`PLATFORM_MESSAGE` for ``message``."""
    return {"platform_message": message}


class InvalidParameter(RoasloopError):
    code = "1001"
    type = "INVALID_PARAMETER"

    def __init__(self, field: str, detail: str, **kwargs: Any) -> None:
        details = {"field": field, **kwargs.pop("details", {})}
        super().__init__(detail, details=details, **kwargs)
        self.field = field

    @classmethod
    def restating(
        cls, field: str, error: RoasloopError, details: dict[str, Any]
    ) -> InvalidParameter:
        """``error``'s sentence, in every language, said of ``field``."""
        return cls(
            field,
            error.detail_msgid,
            details=details,
            detail_key=error.detail_key,
            detail_params=error.detail_params,
        )

    @classmethod
    def refusing(cls, field: str, error: ValueError) -> InvalidParameter:
        """The caller's error for a value refused with ``error`` (translated when it is a
        :class:`~roasloop.translations.LocalizedValueError`)."""
        if isinstance(error, LocalizedValueError):
            return cls(field, error.msgid, detail_params=error.params)
        return cls(field, str(error))


class AuthenticationFailed(RoasloopError):
    code = "1002"
    type = "AUTH_FAILED"


class RateLimited(RoasloopError):
    code = "1003"
    type = "API_RATE_LIMIT"
    retryable = True


class NotFound(RoasloopError):
    code = "1004"
    type = "NOT_FOUND"


class QuotaExceeded(RoasloopError):
    code = "1005"
    type = "QUOTA_EXCEEDED"


class RequestInProgress(RoasloopError):
    """Another caller holds the same request or the same campaign's writes; retry later."""

    code = "1006"
    type = "REQUEST_IN_PROGRESS"
    retryable = True


class ServiceUnavailable(RoasloopError):
    code = "4000"
    type = "SERVICE_UNAVAILABLE"
    retryable = True


class AIModelTimeout(RoasloopError):
    code = "4001"
    type = "AI_MODEL_TIMEOUT"
    retryable = True


class GenerationFailed(RoasloopError):
    code = "4003"
    type = "GENERATION_FAILED"


class CreativeNotFound(RoasloopError):
    code = "5000"
    type = "CREATIVE_NOT_FOUND"


class AdAccountNotBound(RoasloopError):
    code = "6000"
    type = "AD_ACCOUNT_NOT_BOUND"


class TokenExpired(RoasloopError):
    code = "6001"
    type = "AD_ACCOUNT_TOKEN_EXPIRED"


class InsufficientBalance(RoasloopError):
    code = "6002"
    type = "INSUFFICIENT_BALANCE"


class CreativeRejected(RoasloopError):
    code = "6003"
    type = "CREATIVE_REJECTED"


class PolicyViolation(RoasloopError):
    code = "6005"
    type = "POLICY_VIOLATION"


class InternalError(RoasloopError):
    code = "1000"
    type = "UNKNOWN_ERROR"


def invalid_input(exc: ValidationError, default_field: str) -> InvalidParameter:
    """The caller's error for the validator's first complaint, naming the field by its path
    (``condition.all[1].metric``) and saying it in every language."""
    first = exc.errors()[0]
    kind, context = first["type"], dict(first.get("ctx") or {})
    message = str(first["msg"]).removeprefix("Value error, ")
    detail_key: str | None
    if kind == "value_error":  # roasloop's own check: a catalog key, or (not yet) English
        key = str(context.get("error", ""))
        detail_key = key if key in CATALOG else None
    else:
        detail_key = f"check_{kind}" if f"check_{kind}" in CATALOG else "check_invalid"
    params = {k: v for k, v in context.items() if isinstance(v, str | int | float)}
    field = _path(first["loc"]) or default_field
    return InvalidParameter(field, message, detail_key=detail_key, detail_params=params)


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


#: Where a user re-authorizes an ad account (seed: ``/settings/ad-accounts``).
REAUTH_ACTION_URL = "/settings/ad-accounts"


def error_response(
    error: RoasloopError, *, request_id: str, now: datetime, locale: str, mode: str
) -> dict[str, Any]:
    """The seed's error format. Never includes a stack trace."""
    return {
        "status": "error",
        "error": {
            "code": error.code,
            "type": error.type,
            "message": error.message(locale),
            "messages": {"en": error.message("en"), "zh-CN": error.message("zh-CN")},
            "details": _jsonable(error.details),
            "timestamp": now.isoformat(),
            "request_id": request_id,
        },
        "request_id": request_id,
        "mode": mode,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
