"""Rule notifications: signed webhooks, retried and logged, through the module API."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import httpx

from roasloop.domain.enums import OperationState
from roasloop.notifiers.webhook import SIGNATURE_HEADER, HttpWebhookSender
from roasloop.platforms.transport import RetryPolicy
from roasloop.services import rules as rule_service
from roasloop.services.common import RequestContext
from roasloop.services.rules.results import ExecutionResult
from tests.integration.harness import Harness, build_harness
from tests.integration.steps import launch, ok, operations


def test_webhook_notify_is_signed_retried_and_logged(fresh: Harness) -> None:
    campaign = launch(fresh, "u1")
    fresh.advance(2)
    secret = "whsec-0123456789"
    rule = ok(
        fresh.execute(
            "create_rule",
            {
                "rule_name": "alert",
                "condition": {
                    "metric": "spend",
                    "operator": ">",
                    "value": 0,
                    "window": "yesterday",
                },
                "action": {
                    "type": "notify",
                    "webhook": {"url": "https://hooks.example.com/rl?token=x", "secret": secret},
                },
                "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
            },
        )
    )
    received: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(503 if len(received) == 1 else 200)

    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    sender = HttpWebhookSender(RetryPolicy(sleep=sleep), httpx.MockTransport(receiver))
    ctx = RequestContext(tenant_id="u1", request_id="req-test")
    result = fresh.runner.run(
        rule_service.execute_rule(fresh.runtime.deps, ctx, rule_id=rule["rule_id"], webhook=sender)
    )
    assert {d.result for d in result.decisions} == {ExecutionResult.NOTIFIED}
    assert len(received) == 2 and len(sleeps) == 1
    body = received[-1].content
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert received[-1].headers[SIGNATURE_HEADER] == expected
    payload = json.loads(body)
    assert payload["rule_id"] == rule["rule_id"] and len(payload["objects"]) == 3
    assert {o["object_id"] for o in payload["objects"]} == {
        a["adset_id"] for a in campaign["adsets"]
    }
    listed = ok(fresh.execute("list_rules", {}))["rules"]
    assert secret not in json.dumps(listed) and "***" in json.dumps(listed)
    [logged] = operations(fresh, "u1", "notify")
    assert logged.state is OperationState.CONFIRMED and logged.object_id == rule["rule_id"]
    assert logged.after == {"webhook": "hooks.example.com", "objects": 3}


def test_a_webhook_needs_a_signing_secret(fresh: Harness) -> None:
    result = fresh.execute(
        "create_rule",
        {
            "rule_name": "alert",
            "condition": {"metric": "spend", "operator": ">", "value": 0},
            "action": {"type": "notify", "webhook": {"url": "https://hooks.example.com/rl"}},
        },
    )
    assert (
        result["status"] == "error"
        and result["error"]["details"]["field"] == "action.webhook.secret"
    )


def test_the_process_secret_signs_webhooks_of_rules_without_one(tmp_path: Path) -> None:
    harness = build_harness(tmp_path, webhook_secret="whsec-process-wide")
    try:
        campaign = launch(harness, "u1")
        harness.advance(2)
        rule = ok(
            harness.execute(
                "create_rule",
                {
                    "rule_name": "alert",
                    "condition": {"metric": "spend", "operator": ">", "value": 0},
                    "action": {"type": "notify", "webhook": {"url": "https://hooks.example.com/"}},
                    "applies_to": {"campaign_ids": [campaign["campaign_id"]]},
                },
            )
        )
        received: list[httpx.Request] = []

        def receiver(request: httpx.Request) -> httpx.Response:
            received.append(request)
            return httpx.Response(200)

        sender = HttpWebhookSender(RetryPolicy(), httpx.MockTransport(receiver))
        ctx = RequestContext(tenant_id="u1", request_id="req-test")
        deps = harness.runtime.deps
        harness.runner.run(
            rule_service.execute_rule(deps, ctx, rule_id=rule["rule_id"], webhook=sender)
        )
        [request] = received
        digest = hmac.new(b"whsec-process-wide", request.content, hashlib.sha256).hexdigest()
        assert request.headers[SIGNATURE_HEADER] == f"sha256={digest}"
    finally:
        harness.close()
