"""Leases on both backends: one holder at a time, taken over only after expiry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from roasloop.store import SqlAlchemyStore, TokenCipher

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


async def take(
    store: SqlAlchemyStore,
    tenant: str,
    name: str,
    owner: str,
    now: datetime = NOW,
    until: datetime = LATER,
) -> bool:
    async with store.unit(tenant) as uow:
        return await uow.leases.acquire(name, owner, now, until)


async def give_up(store: SqlAlchemyStore, tenant: str, name: str, owner: str) -> None:
    async with store.unit(tenant) as uow:
        await uow.leases.release(name, owner)


async def test_one_owner_holds_a_lease_until_it_releases(store: SqlAlchemyStore) -> None:
    assert await take(store, "t1", "campaign:x", "a")
    assert not await take(store, "t1", "campaign:x", "b")
    assert await take(store, "t1", "campaign:x", "a")  # renewal
    await give_up(store, "t1", "campaign:x", "b")  # not b's to give up
    assert not await take(store, "t1", "campaign:x", "b")
    await give_up(store, "t1", "campaign:x", "a")
    assert await take(store, "t1", "campaign:x", "b")


async def test_an_expired_lease_is_taken_over(store: SqlAlchemyStore) -> None:
    assert await take(store, "t1", "structure:k", "dead")
    assert not await take(store, "t1", "structure:k", "b", LATER - timedelta(seconds=1))
    assert await take(store, "t1", "structure:k", "b", LATER, LATER + timedelta(minutes=5))
    await give_up(store, "t1", "structure:k", "dead")  # the late holder frees nothing
    assert not await take(store, "t1", "structure:k", "c", LATER, LATER)


async def test_leases_are_per_tenant_and_name(store: SqlAlchemyStore) -> None:
    assert await take(store, "t1", "n", "a")
    assert await take(store, "t2", "n", "b")
    assert await take(store, "t1", "m", "c")


async def test_of_concurrent_takers_exactly_one_wins(store: SqlAlchemyStore) -> None:
    takers = [take(store, "t1", "race", f"owner-{i}") for i in range(8)]
    assert sorted(await asyncio.gather(*takers)) == [False] * 7 + [True]


async def test_of_two_stores_on_one_database_exactly_one_wins(
    store: SqlAlchemyStore, database_url: str, cipher: TokenCipher
) -> None:
    """Two processes' stores (separate engines and connections) racing for one lease."""
    other = SqlAlchemyStore(database_url, cipher)
    try:
        takers = [take(s, "t1", "race", f"owner-{i}") for i, s in enumerate([store, other] * 4)]
        assert sorted(await asyncio.gather(*takers)) == [False] * 7 + [True]
    finally:
        await other.close()
