"""The Store contract for the operation log, rules, A/B tests, the queue and tenants."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roasloop.domain.enums import ABTestStatus, OperationState, QueueStatus
from roasloop.domain.models import Operation
from roasloop.errors import InvalidParameter
from roasloop.store import SqlAlchemyStore
from tests.contract.test_store_contract import (
    T0,
    ab_test,
    at,
    campaign,
    creative,
    execution,
    operation,
    queue_item,
    rule,
)


# --- operation log ------------------------------------------------------------------------
def ids(operations: list[Operation]) -> list[str]:
    return [op.operation_id for op in operations]


async def test_operations_round_trip_in_created_then_id_order(store: SqlAlchemyStore) -> None:
    items = [
        operation("t1", "op-b", at(1)),
        operation("t1", "op-c", at(0)),
        operation("t1", "op-a", at(1)),
    ]
    for item in items:
        await store.record_operation(item)
    assert await store.list_operations("t1") == [items[1], items[2], items[0]]


async def test_update_operation_records_state_result_and_after(store: SqlAlchemyStore) -> None:
    await store.record_operation(operation("t1"))
    await store.update_operation("t1", "op-1", OperationState.SENT, at(1))
    sent = (await store.list_operations("t1"))[0]
    assert sent == replace(operation("t1"), state=OperationState.SENT, updated_at=at(1))
    result, after = {"platform_code": 0, "request_id": "r-9"}, {"daily_budget": "41.00"}
    await store.update_operation(
        "t1", "op-1", OperationState.CONFIRMED, at(2), result=result, after=after, object_id="as-9"
    )
    confirmed = (await store.list_operations("t1"))[0]
    expected = replace(
        sent,
        state=OperationState.CONFIRMED,
        updated_at=at(2),
        result=result,
        after=after,
        object_id="as-9",
    )
    assert confirmed == expected


async def test_list_operations_keeps_entries_updated_since_a_moment(
    store: SqlAlchemyStore,
) -> None:
    for n in range(3):
        await store.record_operation(operation("t1", f"op-{n}", at(0)))
        await store.update_operation("t1", f"op-{n}", OperationState.CONFIRMED, at(n + 1))
    await store.record_operation(operation("t1", "op-new", at(5)))  # never updated
    assert ids(await store.list_operations("t1", updated_since=at(2))) == ["op-1", "op-2"]
    assert ids(await store.list_operations("t1", updated_since=at(4))) == []
    confirmed = [OperationState.CONFIRMED]
    recent = await store.list_operations("t1", states=confirmed, updated_since=at(3))
    assert ids(recent) == ["op-2"]


async def test_recording_an_operation_twice_never_rewinds_it(store: SqlAlchemyStore) -> None:
    await store.record_operation(operation("t1"))
    await store.update_operation("t1", "op-1", OperationState.CONFIRMED, at(1))
    await store.record_operation(operation("t1"))
    [only] = await store.list_operations("t1")
    assert only.state is OperationState.CONFIRMED


async def test_list_operations_filters_by_state_object_and_limit(store: SqlAlchemyStore) -> None:
    states = [
        OperationState.PLANNED,
        OperationState.SENT,
        OperationState.FAILED,
        OperationState.SENT,
    ]
    for n, state in enumerate(states):
        await store.record_operation(
            operation("t1", f"op-{n}", at(n), state=state, object_id=f"obj-{n % 2}")
        )
    pending = [OperationState.PLANNED, OperationState.SENT]
    assert ids(await store.list_operations("t1", states=pending)) == ["op-0", "op-1", "op-3"]
    assert ids(await store.list_operations("t1", states=[OperationState.CONFIRMED])) == []
    assert ids(await store.list_operations("t1", states=[])) == []
    assert ids(await store.list_operations("t1", object_id="obj-1")) == ["op-1", "op-3"]
    assert (
        ids(await store.list_operations("t1", object_id="obj-1", states=[OperationState.FAILED]))
        == []
    )
    assert ids(await store.list_operations("t1", limit=2)) == ["op-0", "op-1"]
    with pytest.raises(InvalidParameter):
        await store.list_operations("t1", limit=0)


# --- rules --------------------------------------------------------------------------------
async def test_rules_round_trip_ordered_with_enabled_filter(store: SqlAlchemyStore) -> None:
    items = [
        rule("t1", "r-b", at(1)),
        rule("t1", "r-a", at(1), enabled=False),
        rule("t1", "r-c", at(0)),
    ]
    for item in items:
        await store.save_rule(item)
    assert await store.list_rules("t1") == [items[2], items[1], items[0]]
    assert await store.list_rules("t1", enabled_only=True) == [items[2], items[0]]
    checked = replace(items[0], last_checked_at=at(30), check_interval_seconds=60)
    await store.save_rule(checked)
    assert await store.get_rule("t1", "r-b") == checked
    assert await store.get_rule("t1", "r-z") is None


async def test_rule_executions_ordered_per_rule_with_limit(store: SqlAlchemyStore) -> None:
    items = [
        execution("t1", "x-2", at(1)),
        execution("t1", "x-1", at(1)),
        execution("t1", "x-3", at(0)),
    ]
    for item in [*items, execution("t1", "x-9", rule_id="r-2")]:
        await store.record_rule_execution(item)
    await store.record_rule_execution(replace(items[0], result="changed"))
    assert await store.list_rule_executions("t1", "r-1") == [items[2], items[1], items[0]]
    assert await store.list_rule_executions("t1", "r-1", limit=1) == [items[2]]
    assert [x.execution_id for x in await store.list_rule_executions("t1", "r-2")] == ["x-9"]


# --- A/B tests ----------------------------------------------------------------------------
async def test_ab_tests_round_trip_and_replace(store: SqlAlchemyStore) -> None:
    await store.save_ab_test(ab_test("t1"))
    assert await store.get_ab_test("t1", "ab-1") == ab_test("t1")
    done = ab_test(
        "t1",
        status=ABTestStatus.COMPLETED,
        winner="cr-2",
        results={"p_value": 0.012, "lift": [0.1, 0.3]},
    )
    await store.save_ab_test(done)
    stored = await store.get_ab_test("t1", "ab-1")
    assert stored == done
    assert stored is not None and stored.variants == (("cr-1", "as-1"), ("cr-2", "as-2"))
    assert await store.get_ab_test("t1", "ab-2") is None


# --- optimization queue -------------------------------------------------------------------
async def test_queue_lists_in_created_then_id_order_with_status_filter(
    store: SqlAlchemyStore,
) -> None:
    items = [
        queue_item("t1", "q-b", at(1)),
        queue_item("t1", "q-a", at(1)),
        queue_item("t1", "q-c", at(0)),
    ]
    for item in items:
        await store.enqueue(item)
    assert await store.list_queue("t1") == [items[2], items[1], items[0]]
    await store.set_queue_status("t1", "q-a", QueueStatus.APPROVED, at(5))
    approved = await store.list_queue("t1", QueueStatus.APPROVED)
    assert approved == [replace(items[1], status=QueueStatus.APPROVED)]
    assert [q.item_id for q in await store.list_queue("t1", QueueStatus.PENDING)] == ["q-c", "q-b"]


async def test_enqueue_twice_keeps_the_decided_status(store: SqlAlchemyStore) -> None:
    await store.enqueue(queue_item("t1"))
    await store.set_queue_status("t1", "q-1", QueueStatus.REJECTED, at(1))
    await store.enqueue(queue_item("t1"))
    [only] = await store.list_queue("t1")
    assert only.status is QueueStatus.REJECTED


# --- tenants ------------------------------------------------------------------------------
async def test_list_tenants_names_owners_of_rules_or_campaigns(store: SqlAlchemyStore) -> None:
    assert await store.list_tenants() == []
    await store.save_rule(rule("zeta"))
    await store.save_campaign(campaign("alpha"))
    await store.save_campaign(campaign("alpha", "c-2"))
    await store.save_rule(rule("alpha"))
    await store.save_creative(creative("only-creatives"))
    await store.record_operation(operation("only-operations"))
    assert await store.list_tenants() == ["alpha", "zeta"]


async def test_json_documents_round_trip_unchanged(store: SqlAlchemyStore) -> None:
    payload = {
        "text": '中文 ünïcödé "quoted" \\ back',
        "nested": {"list": [1, -2, 3.5, None, True, False, {"deep": []}]},
        "empty": {},
        "big": 2**53,
    }
    await store.save_snapshot("t1", "kind", "key", payload, T0)
    snap = await store.get_snapshot("t1", "kind", "key")
    assert snap is not None and snap.payload == payload
