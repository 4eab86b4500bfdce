"""Use case: advance_sandbox — move the sandbox's simulated market ahead by whole days."""

from __future__ import annotations

from datetime import datetime

from roasloop.errors import InvalidParameter
from roasloop.services.common import Deps, RequestContext


async def advance_sandbox(deps: Deps, ctx: RequestContext, days: int) -> datetime:
    """Simulate ``days`` more days on every sandbox; returns the sandbox's new moment.

    Reports of those days can then be synced.

    Raises ``InvalidParameter`` naming ``action`` in live mode (real time cannot be moved).
    """
    if deps.sandbox is None:
        raise InvalidParameter(
            "action", "time can be moved only in sandbox mode", detail_key="check_sandbox_only"
        )
    return await deps.sandbox.advance(days)
