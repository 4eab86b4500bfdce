"""The ``notify`` action's signing secret: the rule's own, else the process setting."""

from __future__ import annotations

from roasloop.config import Settings


def settings_secret(settings: Settings) -> str | None:
    """``ROASLOOP_WEBHOOK_SECRET``, when set: signs webhooks of rules without a secret."""
    secret = settings.webhook_secret
    return secret.get_secret_value() or None if secret is not None else None
