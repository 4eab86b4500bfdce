"""The operation log around every platform write: recorded before, settled after.

States: ``planned`` (decided, not sent) → ``sent`` (the request may have reached the
platform) → ``confirmed`` / ``failed``. An entry left ``planned`` or ``sent`` by a crash
is settled by :mod:`roasloop.services.resume`, which compares the platform's state with
the entry's ``before``/``after`` values instead of sending the write again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from roasloop.domain.enums import EntityLevel, OperationState, Platform
from roasloop.domain.models import Operation
from roasloop.errors import RoasloopError
from roasloop.ports.store import OperationLog
from roasloop.services.common import Deps, RequestContext, sortable_id

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Write:
    """What one platform write is about, for its log entry."""

    platform: Platform
    level: EntityLevel
    object_id: str
    action: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    idempotency_key: str = ""


async def record(
    deps: Deps, ctx: RequestContext, write: Write, state: OperationState = OperationState.SENT
) -> Operation:
    """Insert the entry for ``write`` in ``state`` and return it."""
    operation = entry_for(deps, ctx, write, state)
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.operations.record(operation)
    return operation


def entry_for(deps: Deps, ctx: RequestContext, write: Write, state: OperationState) -> Operation:
    return Operation(
        operation_id=sortable_id("op"),
        tenant_id=ctx.tenant_id,
        platform=write.platform,
        created_at=deps.clock.now(),
        trigger=ctx.trigger,
        object_level=write.level,
        object_id=write.object_id,
        action=write.action,
        state=state,
        before=write.before,
        after=write.after,
        reason=write.reason,
        request_id=ctx.request_id,
        idempotency_key=write.idempotency_key,
    )


async def settle(
    deps: Deps,
    ctx: RequestContext,
    operation: Operation,
    result: object = None,
    error: RoasloopError | None = None,
) -> None:
    """Mark ``operation`` confirmed (with the created id, if any) or failed."""
    await settle_all(deps, ctx, [operation], result, error)


async def settle_all(
    deps: Deps,
    ctx: RequestContext,
    operations: Sequence[Operation],
    result: object = None,
    error: RoasloopError | None = None,
) -> None:
    """:func:`settle` each of ``operations`` with the same outcome, in one unit of work."""
    now = deps.clock.now()
    async with deps.store.unit(ctx.tenant_id) as uow:
        for operation in operations:
            await settle_in(uow.operations, operation, now, result, error)


async def settle_in(
    log: OperationLog,
    operation: Operation,
    now: datetime,
    result: object = None,
    error: RoasloopError | None = None,
) -> None:
    """:func:`settle` inside the caller's unit of work (``log`` is its operation log)."""
    if error is not None:
        outcome = {"code": error.code, "type": error.type, "details": _plain(error.details)}
        await log.update(operation.operation_id, OperationState.FAILED, now, result=outcome)
        return
    created = result if isinstance(result, str) else None
    await log.update(
        operation.operation_id,
        OperationState.CONFIRMED,
        now,
        result={"object_id": created} if created else {"ok": True},
        after=operation.after or None,
        object_id=created,
    )


async def logged_write(
    deps: Deps, ctx: RequestContext, write: Write, call: Callable[[], Awaitable[T]]
) -> T:
    """Record ``write`` as ``sent``, run ``call``, then settle the entry.

    A create's result (the new id) becomes the entry's ``object_id``.
    """
    return await send_planned(deps, ctx, await record(deps, ctx, write), call)


async def send_planned(
    deps: Deps, ctx: RequestContext, operation: Operation, call: Callable[[], Awaitable[T]]
) -> T:
    """Move an entry (``planned`` or ``sent``) through the call to its final state."""
    if operation.state is OperationState.PLANNED:
        async with deps.store.unit(ctx.tenant_id) as uow:
            await uow.operations.update(
                operation.operation_id, OperationState.SENT, deps.clock.now()
            )
    try:
        result = await call()
    except RoasloopError as error:
        await settle(deps, ctx, operation, error=error)
        raise
    await settle(deps, ctx, operation, result)
    return result


async def logged_batch(
    deps: Deps,
    ctx: RequestContext,
    writes: Sequence[Write],
    call: Callable[[], Awaitable[list[str]]],
) -> list[str]:
    """One request creating several objects: one entry per object, written and settled in bulk."""
    operations = [entry_for(deps, ctx, write, OperationState.SENT) for write in writes]
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.operations.record_many(operations)
    try:
        created = await call()
    except RoasloopError as error:
        await settle_all(deps, ctx, operations, error=error)
        raise
    pairs = [
        (op.operation_id, object_id) for op, object_id in zip(operations, created, strict=True)
    ]
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.operations.confirm_many(pairs, deps.clock.now())
    return created


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    plain = (str, int, float, bool)
    return {str(k): v if isinstance(v, plain) else str(v) for k, v in details.items()}


async def list_operations(
    deps: Deps,
    ctx: RequestContext,
    object_id: str | None = None,
    states: Sequence[OperationState] | None = None,
    limit: int = 100,
) -> list[Operation]:
    """Use case list_operations: the tenant's log entries, oldest first (in the order they
    were written)."""
    chosen = list(states) if states else None
    async with deps.store.unit(ctx.tenant_id) as uow:
        return await uow.operations.find(object_id=object_id, states=chosen, limit=limit)
