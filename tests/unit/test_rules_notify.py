"""The notify webhook: signed payloads, retries with the shared policy (httpx.MockTransport)."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from roasloop.errors import ServiceUnavailable
from roasloop.notifiers.webhook import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    HttpWebhookSender,
    WebhookRejected,
    sign,
)
from roasloop.platforms.transport import RetryPolicy
from roasloop.ports.notify import WebhookMessage

SECRET = "s3cret-signing-key"


def _sender(handler: httpx.MockTransport, sleeps: list[float]) -> HttpWebhookSender:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return HttpWebhookSender(RetryPolicy(sleep=sleep, backoff="exponential"), handler)


def _message() -> WebhookMessage:
    payload = {
        "event": "rule.triggered",
        "rule_id": "r1",
        "objects": [{"object_id": "as1", "note": "中文"}],
    }
    return WebhookMessage("https://hooks.example.com/roasloop", SECRET, "delivery-1", payload)


async def test_payload_is_signed_with_hmac_sha256_over_the_raw_body() -> None:
    seen: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    await _sender(httpx.MockTransport(receive), [])(_message())
    [request] = seen
    body = request.content
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert request.headers[SIGNATURE_HEADER] == expected == sign(SECRET, body)
    assert request.headers[DELIVERY_HEADER] == "delivery-1"
    assert json.loads(body)["objects"][0]["note"] == "中文"
    assert not hmac.compare_digest(request.headers[SIGNATURE_HEADER], sign("wrong-secret", body))


async def test_server_errors_and_timeouts_are_retried() -> None:
    answers = iter(["timeout", 503, 200])

    def flaky(request: httpx.Request) -> httpx.Response:
        answer = next(answers)
        if answer == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(int(answer))

    sleeps: list[float] = []
    await _sender(httpx.MockTransport(flaky), sleeps)(_message())
    assert sleeps == [1.0, 2.0]


async def test_rejections_are_not_retried_and_exhaustion_is_reported() -> None:
    calls: list[int] = []

    def reject(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(401)

    with pytest.raises(WebhookRejected):
        await _sender(httpx.MockTransport(reject), [])(_message())
    assert calls == [1]

    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502)

    with pytest.raises(ServiceUnavailable) as caught:
        await _sender(httpx.MockTransport(down), [])(_message())
    assert caught.value.details["attempts"] == 3
