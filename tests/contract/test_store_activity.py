"""The store's repositories for the operation log, rules, A/B tests and the queue, on
SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from roasloop.domain.enums import ABTestStatus, OperationState, QueueStatus
from roasloop.domain.models import Operation
from roasloop.errors import InvalidParameter, NotFound
from roasloop.store import SqlAlchemyStore
from tests.contract.records import ab_test, at, execution, operation, queue_item, rule

CONFIRMED, SENT = OperationState.CONFIRMED, OperationState.SENT


def ids(operations: list[Operation]) -> list[str]:
    return [op.operation_id for op in operations]


async def logged(
    store: SqlAlchemyStore,
    *,
    object_id: str | None = None,
    states: list[OperationState] | None = None,
    updated_since: datetime | None = None,
    limit: int = 1000,
) -> list[Operation]:
    """What ``t1``'s log holds, found with the filters given."""
    async with store.unit("t1") as uow:
        return await uow.operations.find(
            object_id=object_id, states=states, updated_since=updated_since, limit=limit
        )


# --- operation log ------------------------------------------------------------------------
async def test_operations_round_trip_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [
        operation("t1", "op-b", at(1)),
        operation("t1", "op-c", at(0)),
        operation("t1", "op-a", at(1)),
    ]
    async with store.unit("t1") as uow:
        await uow.operations.record(items[0])
        await uow.operations.record_many(items[1:])
        await uow.operations.record_many([])
    assert await logged(store) == [items[1], items[2], items[0]]


async def test_update_operation_records_state_result_and_after(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.operations.record(operation("t1"))
    async with store.unit("t1") as uow:
        await uow.operations.update("op-1", SENT, at(1))
    [sent] = await logged(store)
    assert sent == replace(operation("t1"), state=SENT, updated_at=at(1))
    result, after = {"platform_code": 0, "request_id": "r-9"}, {"daily_budget": "41.00"}
    async with store.unit("t1") as uow:
        await uow.operations.update(
            "op-1", CONFIRMED, at(2), result=result, after=after, object_id="as-9"
        )
    [confirmed] = await logged(store)
    expected = replace(
        sent, state=CONFIRMED, updated_at=at(2), result=result, after=after, object_id="as-9"
    )
    assert confirmed == expected


async def test_confirm_many_records_each_created_id(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.operations.record_many([operation("t1", f"op-{n}", at(n)) for n in range(3)])
    async with store.unit("t1") as uow:
        await uow.operations.confirm_many([("op-0", "ad-a"), ("op-2", "ad-c")], at(9))
        await uow.operations.confirm_many([], at(9))
    first, second, third = await logged(store)
    for entry, made in ((first, "ad-a"), (third, "ad-c")):
        assert (entry.state, entry.object_id, entry.updated_at) == (CONFIRMED, made, at(9))
        assert entry.result == {"object_id": made}
    assert second == operation("t1", "op-1", at(1))


async def test_confirm_many_with_a_missing_entry_raises_and_writes_nothing(
    store: SqlAlchemyStore,
) -> None:
    async with store.unit("t1") as uow:
        await uow.operations.record(operation("t1", "op-0"))
    with pytest.raises(NotFound):
        async with store.unit("t1") as uow:
            await uow.operations.confirm_many([("op-0", "ad-a"), ("nope", "ad-b")], at(9))
    assert [e.state for e in await logged(store)] == [OperationState.PLANNED]


async def test_set_states_moves_several_entries(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.operations.record_many([operation("t1", f"op-{n}", at(n)) for n in range(3)])
    async with store.unit("t1") as uow:
        await uow.operations.set_states(["op-0", "op-2"], SENT, at(5))
        await uow.operations.set_states([], SENT, at(5))
    states = [(e.state, e.updated_at) for e in await logged(store)]
    assert states == [(SENT, at(5)), (OperationState.PLANNED, None), (SENT, at(5))]
    async with store.unit("t1") as uow:
        with pytest.raises(NotFound):
            await uow.operations.set_states(["nope"], SENT, at(5))
        with pytest.raises(NotFound):
            await uow.operations.update("nope", SENT, at(5))


async def test_find_operations_updated_since_a_moment(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        for n in range(3):
            await uow.operations.record(operation("t1", f"op-{n}", at(0)))
            await uow.operations.update(f"op-{n}", CONFIRMED, at(n + 1))
        await uow.operations.record(operation("t1", "op-new", at(5)))  # never updated
    assert ids(await logged(store, updated_since=at(2))) == ["op-1", "op-2"]
    assert ids(await logged(store, updated_since=at(4))) == []
    recent = await logged(store, states=[CONFIRMED], updated_since=at(3))
    assert ids(recent) == ["op-2"]


async def test_recording_an_operation_twice_never_rewinds_it(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.operations.record(operation("t1"))
    async with store.unit("t1") as uow:
        await uow.operations.update("op-1", CONFIRMED, at(1))
    async with store.unit("t1") as uow:
        await uow.operations.record(operation("t1"))
        await uow.operations.record_many([operation("t1")])
    [only] = await logged(store)
    assert only.state is CONFIRMED


async def test_find_operations_by_state_object_and_limit(store: SqlAlchemyStore) -> None:
    states = [OperationState.PLANNED, SENT, OperationState.FAILED, SENT]
    async with store.unit("t1") as uow:
        for n, state in enumerate(states):
            entry = operation("t1", f"op-{n}", at(n), state=state, object_id=f"obj-{n % 2}")
            await uow.operations.record(entry)
    pending = [OperationState.PLANNED, SENT]
    assert ids(await logged(store, states=pending)) == ["op-0", "op-1", "op-3"]
    assert ids(await logged(store, states=[CONFIRMED])) == []
    assert ids(await logged(store, states=[])) == []
    assert ids(await logged(store, object_id="obj-1")) == ["op-1", "op-3"]
    failed = [OperationState.FAILED]
    assert ids(await logged(store, object_id="obj-1", states=failed)) == []
    assert ids(await logged(store, limit=2)) == ["op-0", "op-1"]
    with pytest.raises(InvalidParameter):
        await logged(store, limit=0)


# --- rules --------------------------------------------------------------------------------
async def test_rules_round_trip_ordered_with_enabled_filter(store: SqlAlchemyStore) -> None:
    items = [
        rule("t1", "r-b", at(1)),
        rule("t1", "r-a", at(1), enabled=False),
        rule("t1", "r-c", at(0)),
    ]
    async with store.unit("t1") as uow:
        for item in items:
            await uow.rules.save(item)
    checked = replace(items[0], last_checked_at=at(30), check_interval_seconds=60)
    async with store.unit("t1") as uow:
        assert await uow.rules.all() == [items[2], items[1], items[0]]
        assert await uow.rules.all(enabled_only=True) == [items[2], items[0]]
        await uow.rules.save(checked)
    async with store.unit("t1") as uow:
        assert await uow.rules.get("r-b") == checked
        assert await uow.rules.get("r-z") is None


async def test_rule_executions_ordered_per_rule_with_limit(store: SqlAlchemyStore) -> None:
    items = [
        execution("t1", "x-2", at(1)),
        execution("t1", "x-1", at(1)),
        execution("t1", "x-3", at(0)),
    ]
    async with store.unit("t1") as uow:
        for item in [*items, execution("t1", "x-9", rule_id="r-2")]:
            await uow.rules.record_execution(item)
    async with store.unit("t1") as uow:
        await uow.rules.record_execution(replace(items[0], result="changed"))
    async with store.unit("t1") as uow:
        assert await uow.rules.list_executions("r-1") == [items[2], items[1], items[0]]
        assert await uow.rules.list_executions("r-1", limit=1) == [items[2]]
        assert [x.execution_id for x in await uow.rules.list_executions("r-2")] == ["x-9"]
        with pytest.raises(InvalidParameter):
            await uow.rules.list_executions("r-1", limit=0)


# --- A/B tests ----------------------------------------------------------------------------
async def test_ab_tests_round_trip_and_replace(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.ab_tests.save(ab_test("t1"))
    async with store.unit("t1") as uow:
        assert await uow.ab_tests.get("ab-1") == ab_test("t1")
    done = ab_test(
        "t1",
        status=ABTestStatus.COMPLETED,
        winner="cr-2",
        results={"p_value": 0.012, "lift": [0.1, 0.3]},
    )
    async with store.unit("t1") as uow:
        await uow.ab_tests.save(done)
    async with store.unit("t1") as uow:
        stored = await uow.ab_tests.get("ab-1")
        assert await uow.ab_tests.get("ab-2") is None
    assert stored == done
    assert stored is not None and stored.variants == (("cr-1", "as-1"), ("cr-2", "as-2"))


# --- optimization queue -------------------------------------------------------------------
async def test_queue_lists_in_created_then_id_order_with_status_filter(
    store: SqlAlchemyStore,
) -> None:
    items = [
        queue_item("t1", "q-b", at(1)),
        queue_item("t1", "q-a", at(1)),
        queue_item("t1", "q-c", at(0)),
    ]
    async with store.unit("t1") as uow:
        for item in items:
            await uow.queue.enqueue(item)
    async with store.unit("t1") as uow:
        assert await uow.queue.items() == [items[2], items[1], items[0]]
        await uow.queue.set_status("q-a", QueueStatus.APPROVED, at(5))
    async with store.unit("t1") as uow:
        approved = await uow.queue.items(QueueStatus.APPROVED)
        pending = await uow.queue.items(QueueStatus.PENDING)
        with pytest.raises(NotFound):
            await uow.queue.set_status("nope", QueueStatus.APPROVED, at(5))
    assert approved == [replace(items[1], status=QueueStatus.APPROVED)]
    assert [q.item_id for q in pending] == ["q-c", "q-b"]


async def test_enqueue_twice_keeps_the_decided_status(store: SqlAlchemyStore) -> None:
    async with store.unit("t1") as uow:
        await uow.queue.enqueue(queue_item("t1"))
    async with store.unit("t1") as uow:
        await uow.queue.set_status("q-1", QueueStatus.REJECTED, at(1))
    async with store.unit("t1") as uow:
        await uow.queue.enqueue(queue_item("t1"))
    async with store.unit("t1") as uow:
        [only] = await uow.queue.items()
    assert only.status is QueueStatus.REJECTED
