"""Webhook deliveries over HTTP: a JSON body signed with HMAC-SHA256, sent with retries.

Receivers verify ``X-Roasloop-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw request
body under the shared secret, and may de-duplicate on ``X-Roasloop-Delivery``. Timeouts,
connection errors, 429 and 5xx answers are retried with the policy the platform adapters use
(:mod:`roasloop.platforms.transport`); other 4xx answers fail at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from roasloop.config import Settings
from roasloop.errors import ServiceUnavailable
from roasloop.platforms.transport import RetryPolicy, call_with_retry
from roasloop.ports.notify import WebhookMessage

SIGNATURE_HEADER = "X-Roasloop-Signature"
DELIVERY_HEADER = "X-Roasloop-Delivery"


class WebhookRejected(ServiceUnavailable):
    """The receiver answered 4xx (other than 429): sending again would not help."""

    retryable = False


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


def webhook_sender(settings: Settings) -> HttpWebhookSender:
    """A sender with the retry policy the platform adapters use (from settings)."""
    return HttpWebhookSender(RetryPolicy.from_settings(settings))
