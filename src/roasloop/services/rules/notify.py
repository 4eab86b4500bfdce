"""The ``notify`` action's webhook: a JSON payload signed with HMAC-SHA256, sent with retries.

Receivers verify ``X-Roasloop-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw request
body under the shared secret (the rule's ``webhook.secret``, else the process setting
``webhook_secret`` when it exists), and may de-duplicate on ``X-Roasloop-Delivery``.
Timeouts, connection errors, 429 and 5xx answers are retried with the shared retry policy
(:mod:`roasloop.platforms.transport`); other 4xx answers fail at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from roasloop.config import Settings
from roasloop.errors import ServiceUnavailable
from roasloop.platforms.transport import RetryPolicy, call_with_retry

SIGNATURE_HEADER = "X-Roasloop-Signature"
DELIVERY_HEADER = "X-Roasloop-Delivery"


class WebhookRejected(ServiceUnavailable):
    """The receiver answered 4xx (other than 429): sending again would not help."""

    retryable = False


@dataclass(frozen=True, slots=True)
class WebhookMessage:
    """One delivery: where, signed with what, its id, and the JSON body."""

    url: str
    secret: str
    delivery_id: str
    payload: Mapping[str, object]


WebhookSender = Callable[[WebhookMessage], Awaitable[None]]


def sign(secret: str, body: bytes) -> str:
    """The signature header value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: Mapping[str, object]) -> bytes:
    """The exact bytes that are signed and sent (stable key order, UTF-8)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


@dataclass
class HttpWebhookSender:
    """Sends with httpx; ``transport`` replaces the network (tests use ``httpx.MockTransport``)."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.AsyncBaseTransport | None = None

    async def __call__(self, message: WebhookMessage) -> None:
        body = encode(message.payload)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(message.secret, body),
            DELIVERY_HEADER: message.delivery_id,
        }
        timeout = httpx.Timeout(self.policy.timeout)
        async with httpx.AsyncClient(transport=self.transport, timeout=timeout) as client:

            async def post() -> None:
                response = await client.post(message.url, content=body, headers=headers)
                _check(response)

            await call_with_retry(self.policy, "webhook", "notify", post)


def _check(response: httpx.Response) -> None:
    status = response.status_code
    if status < 300:
        return
    detail = f"webhook answered HTTP {status}"
    if status == 429 or status >= 500:
        raise ServiceUnavailable(detail, details={"http_status": status})
    raise WebhookRejected(detail, details={"http_status": status})


def default_sender(settings: Settings) -> HttpWebhookSender:
    """The shared retry policy from settings (as the platform adapters use it)."""
    return HttpWebhookSender(RetryPolicy.from_settings(settings))


def settings_secret(settings: Settings) -> str | None:
    """``Settings.webhook_secret`` once the settings carry it (see the report to the lead)."""
    secret = getattr(settings, "webhook_secret", None)
    if secret is None:
        return None
    value = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    return str(value) or None
