"""Actions on the operation log: list entries, and resume what a crash left open."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from roasloop.actions.base import JSON, Action, Params, Text
from roasloop.domain.enums import OperationState
from roasloop.i18n import both
from roasloop.services.common import Deps, RequestContext, iso
from roasloop.services.oplog import list_operations
from roasloop.services.resume import resume_operations


class ListOperationsParams(Params):
    object_id: Text | None = None
    states: list[Literal["planned", "sent", "confirmed", "failed"]] | None = None
    limit: int = Field(default=100, ge=1, le=1000)


class ResumeParams(Params):
    pass


async def _list(deps: Deps, ctx: RequestContext, q: ListOperationsParams) -> JSON:
    states = [OperationState(s) for s in q.states or ()]
    entries = await list_operations(deps, ctx, q.object_id, states, q.limit)
    return {
        "status": "success",
        "operations": [
            {
                "operation_id": e.operation_id,
                "created_at": iso(e.created_at),
                "trigger": e.trigger.value,
                "platform": e.platform.value,
                "level": e.object_level.value,
                "object_id": e.object_id,
                "action": e.action,
                "state": e.state.value,
                "before": e.before,
                "after": e.after,
                "reason": e.reason,
                "result": e.result,
            }
            for e in entries
        ],
        "messages": both("operations_listed", count=len(entries)),
    }


async def _resume(deps: Deps, ctx: RequestContext, q: ResumeParams) -> JSON:
    done = await resume_operations(deps, ctx)
    return {
        "status": "success",
        "open_entries": done.open_entries,
        "confirmed": done.confirmed,
        "failed": done.failed,
        "messages": both("resume_done", confirmed=done.confirmed, failed=done.failed),
    }


ACTIONS = {
    "list_operations": Action(ListOperationsParams, _list),
    "resume_operations": Action(ResumeParams, _resume),
}
