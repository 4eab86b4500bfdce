"""Port: delivering a rule's ``notify`` action to a webhook.

A sender is a single function (:data:`WebhookSender`): it delivers one
:class:`WebhookMessage` or raises ``ServiceUnavailable`` (retryable) once retries are spent,
or a non-retryable subclass of it when the receiver refused the message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WebhookMessage:
    """One delivery: where, signed with what, its id (receivers de-duplicate on it), the body."""

    url: str
    secret: str
    delivery_id: str
    payload: Mapping[str, object]


WebhookSender = Callable[[WebhookMessage], Awaitable[None]]
