"""Steps the module-level integration tests share (on a :class:`Harness`)."""

from __future__ import annotations

from typing import Any

from roasloop.domain.models import Operation
from tests.integration.harness import Harness

#: Rule safeguards that let a rule act on ad sets still in the learning phase.
INCLUDE = {"learning_phase": "include"}


def ok(result: dict[str, Any]) -> dict[str, Any]:
    """``result``, once it is known to be a success."""
    assert result["status"] == "success", result
    return result


def launch(h: Harness, user: str, creatives: int = 1) -> dict[str, Any]:
    """A TikTok sales campaign of $150 a day (target ROAS 2) with ``creatives`` creatives."""
    params = {
        "objective": "sales",
        "daily_budget": 150,
        "creative_ids": h.creatives(user, creatives),
    }
    return ok(h.execute("create_campaign", {**params, "target_roas": 2}, user=user))


def operations(h: Harness, user: str, action: str) -> list[Operation]:
    """The tenant's operation-log entries of one action, oldest first."""
    logged = h.stored(user, lambda uow: uow.operations.find())
    return [op for op in logged if op.action == action]
