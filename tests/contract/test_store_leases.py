"""Leases on both backends: one holder at a time, taken over only after expiry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from roasloop.store import SqlAlchemyStore

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


async def test_one_owner_holds_a_lease_until_it_releases(store: SqlAlchemyStore) -> None:
    assert await store.acquire_lease("t1", "campaign:x", "a", NOW, LATER)
    assert not await store.acquire_lease("t1", "campaign:x", "b", NOW, LATER)
    assert await store.acquire_lease("t1", "campaign:x", "a", NOW, LATER)  # renewal
    await store.release_lease("t1", "campaign:x", "b")  # not b's to give up
    assert not await store.acquire_lease("t1", "campaign:x", "b", NOW, LATER)
    await store.release_lease("t1", "campaign:x", "a")
    assert await store.acquire_lease("t1", "campaign:x", "b", NOW, LATER)


async def test_an_expired_lease_is_taken_over(store: SqlAlchemyStore) -> None:
    assert await store.acquire_lease("t1", "structure:k", "dead", NOW, LATER)
    assert not await store.acquire_lease(
        "t1", "structure:k", "b", LATER - timedelta(seconds=1), LATER
    )
    assert await store.acquire_lease("t1", "structure:k", "b", LATER, LATER + timedelta(minutes=5))
    await store.release_lease("t1", "structure:k", "dead")  # the late holder frees nothing
    assert not await store.acquire_lease("t1", "structure:k", "c", LATER, LATER)


async def test_leases_are_per_tenant_and_name(store: SqlAlchemyStore) -> None:
    assert await store.acquire_lease("t1", "n", "a", NOW, LATER)
    assert await store.acquire_lease("t2", "n", "b", NOW, LATER)
    assert await store.acquire_lease("t1", "m", "c", NOW, LATER)


async def test_of_concurrent_takers_exactly_one_wins(store: SqlAlchemyStore) -> None:
    takers = [store.acquire_lease("t1", "race", f"owner-{i}", NOW, LATER) for i in range(8)]
    assert sorted(await asyncio.gather(*takers)) == [False] * 7 + [True]
