"""Structured logging (structlog) and Prometheus metrics.

Every line carries ``request_id``, ``user_id``, ``action`` and ``platform`` (bound per
request with :func:`bind_request`); values of secret-looking keys and any configured
secret are masked before rendering, so no secret reaches a log.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram

REQUEST_FIELDS = ("request_id", "user_id", "action", "platform")
MASK = "***"
_SECRET_KEY = re.compile(r"(token|secret|password|api[_-]?key|authorization|encryption)", re.I)


class Redactor:
    """A structlog processor that masks secrets by key name and by value."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(
        self, logger: Any, method: str, event: MutableMapping[str, Any]
    ) -> Mapping[str, Any]:
        return {key: self._clean(key, value) for key, value in event.items()}

    def _clean(self, key: str, value: Any) -> Any:
        if _SECRET_KEY.search(key) and not key.endswith("_url"):
            return MASK
        if isinstance(value, str):
            return self._mask_text(value)
        if isinstance(value, Mapping):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(key, v) for v in value]
        return value

    def _mask_text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


def _request_defaults(
    logger: Any, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for name in REQUEST_FIELDS:
        event.setdefault(name, None)
    return event


def configure_logging(level: str, fmt: str, secrets: Iterable[str] = ()) -> None:
    """Set up structlog for the process (JSON when ``fmt == "json"``), writing to stderr.

    A logged exception keeps its type, message and stack (``exception`` in JSON, with
    secrets masked like every other value), so "see the server log" leads somewhere.
    """
    json_lines = fmt == "json"
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    # Frames without their local variables: a token in a local must not reach the log.
    frames = structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
    tracebacks: list[Any] = [structlog.processors.ExceptionRenderer(frames)] if json_lines else []
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _request_defaults,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            *tracebacks,
            Redactor(secrets),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


def _stderr_logger(*args: Any) -> structlog.PrintLogger:
    """A logger on the *current* ``sys.stderr`` (which test runners and daemons swap)."""
    return structlog.PrintLogger(file=sys.stderr)


def bind_request(**fields: Any) -> None:
    """Bind request fields (request_id, user_id, action, platform) for this task."""
    structlog.contextvars.bind_contextvars(**fields)


def clear_request() -> None:
    structlog.contextvars.clear_contextvars()


class Metrics:
    """The seed's Prometheus metrics, on a registry of their own (no global state)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "campaign_automation_requests_total",
            "Total campaign automation requests",
            ["action", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "campaign_automation_request_duration_seconds",
            "Campaign automation request duration",
            ["action"],
            registry=self.registry,
        )
        self.platform_calls = Counter(
            "platform_api_calls_total",
            "Total platform API calls",
            ["platform", "endpoint", "status"],
            registry=self.registry,
        )
