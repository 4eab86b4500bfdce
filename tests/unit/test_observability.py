"""Logs carry the request fields and never a secret."""

import json
from collections.abc import Iterator

import pytest
import structlog

from roasloop.observability import MASK, Redactor, bind_request, clear_request, configure_logging


def test_redactor_masks_secret_keys_and_known_values() -> None:
    redact = Redactor(["tok-123456"])
    event = redact(
        None,
        "info",
        {
            "event": "call failed with tok-123456 inside",
            "access_token": "anything",
            "headers": {"Access-Token": "x", "Accept": "json"},
            "items": ["tok-123456"],
            "sandbox_url": "http://127.0.0.1:8765",
        },
    )
    assert event["access_token"] == MASK
    assert "tok-123456" not in json.dumps(event)
    assert event["headers"]["Accept"] == "json"
    assert event["sandbox_url"] == "http://127.0.0.1:8765"


@pytest.fixture(autouse=True)
def restore_structlog() -> Iterator[None]:
    yield
    structlog.reset_defaults()


def test_every_line_has_request_fields_and_no_secret(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json", secrets=["super-secret-token"])
    bind_request(request_id="req_1", user_id="u1", action="create_campaign")
    structlog.get_logger("t").error("failed", detail="token super-secret-token rejected")
    clear_request()
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["request_id"] == "req_1" and line["user_id"] == "u1"
    assert line["action"] == "create_campaign" and line["platform"] is None
    assert "super-secret-token" not in json.dumps(line)


def test_a_logged_exception_keeps_type_message_and_stack(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json", secrets=["super-secret-token"])
    try:
        raise LookupError("no row for super-secret-token")
    except LookupError:
        structlog.get_logger("t").exception("unexpected_error")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    [raised] = line["exception"]
    assert raised["exc_type"] == "LookupError"
    assert raised["exc_value"] == f"no row for {MASK}"
    assert raised["frames"] and raised["frames"][-1]["name"].startswith("test_a_logged")
    assert "super-secret-token" not in json.dumps(line)
