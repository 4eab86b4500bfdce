"""The operation log around every platform write: recorded before, settled after."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from roasloop.domain.enums import EntityLevel, OperationState, Platform
from roasloop.domain.models import Operation
from roasloop.errors import RoasloopError
from roasloop.services.common import Deps, RequestContext, sortable_id

T = TypeVar("T")
JSON = dict[str, Any]


async def logged_write(
    deps: Deps,
    ctx: RequestContext,
    *,
    platform: Platform,
    level: EntityLevel,
    object_id: str,
    action: str,
    call: Callable[[], Awaitable[T]],
    before: JSON | None = None,
    after: JSON | None = None,
    reason: str = "",
    idempotency_key: str = "",
) -> T:
    """Record the write as ``sent``, run it, then mark it ``confirmed`` or ``failed``.

    A create's result (the new id) becomes the entry's ``object_id``. A crash between the
    two store writes leaves the entry ``sent``: the resume step reconciles it with the
    platform instead of sending it again.
    """
    operation = Operation(
        operation_id=sortable_id("op"),
        tenant_id=ctx.tenant_id,
        platform=platform,
        created_at=deps.clock.now(),
        trigger=ctx.trigger,
        object_level=level,
        object_id=object_id,
        action=action,
        state=OperationState.SENT,
        before=before or {},
        after=after or {},
        reason=reason,
        request_id=ctx.request_id,
        idempotency_key=idempotency_key,
    )
    await deps.store.record_operation(operation)
    try:
        result = await call()
    except RoasloopError as error:
        await deps.store.update_operation(
            ctx.tenant_id,
            operation.operation_id,
            OperationState.FAILED,
            deps.clock.now(),
            result={"code": error.code, "type": error.type, "details": _plain(error.details)},
        )
        raise
    created_id = result if isinstance(result, str) else None
    await deps.store.update_operation(
        ctx.tenant_id,
        operation.operation_id,
        OperationState.CONFIRMED,
        deps.clock.now(),
        result={"object_id": created_id} if created_id else {"ok": True},
        after=after,
        object_id=created_id,
    )
    return result


def _plain(details: JSON) -> JSON:
    return {
        str(k): v if isinstance(v, str | int | float | bool) else str(v) for k, v in details.items()
    }
