"""Use case: advance_sandbox — move the sandbox's simulated market ahead by whole days."""

from __future__ import annotations

from typing import Any

from roasloop.errors import InvalidParameter
from roasloop.i18n import both
from roasloop.services.common import Deps, RequestContext

JSON = dict[str, Any]


async def advance_sandbox(deps: Deps, ctx: RequestContext, days: int) -> JSON:
    """Simulate ``days`` more days on every sandbox; reports of those days can then be synced.

    Raises ``InvalidParameter`` naming ``action`` in live mode (real time cannot be moved).
    """
    if deps.sandbox is None:
        raise InvalidParameter(
            "action", "time can be moved only in sandbox mode", detail_key="check_sandbox_only"
        )
    moment = await deps.sandbox.advance(days)
    today = moment.date().isoformat()
    return {
        "status": "success",
        "now": moment.isoformat(),
        "today": today,
        "messages": both("sandbox_advanced", today=today, now=moment.isoformat(timespec="minutes")),
    }
