"""Action of the sandbox: advance_sandbox (sandbox mode only)."""

from __future__ import annotations

from pydantic import Field

from roasloop.actions.base import JSON, Action, Params
from roasloop.i18n import both
from roasloop.services.common import Deps, RequestContext
from roasloop.services.sandbox_time import advance_sandbox

#: The furthest one call may move the clock (a year), as ``roasloop sandbox advance``.
MAX_DAYS = 366


class AdvanceSandboxParams(Params):
    days: int = Field(default=1, ge=1, le=MAX_DAYS)


async def _advance(deps: Deps, ctx: RequestContext, q: AdvanceSandboxParams) -> JSON:
    moment = await advance_sandbox(deps, ctx, q.days)
    today = moment.date().isoformat()
    return {
        "status": "success",
        "now": moment.isoformat(),
        "today": today,
        "messages": both("sandbox_advanced", today=today, now=moment.isoformat(timespec="minutes")),
    }


ACTIONS = {"advance_sandbox": Action(AdvanceSandboxParams, _advance)}
