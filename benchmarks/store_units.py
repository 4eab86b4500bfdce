"""What a unit of work costs, to decide whether single reads deserve a shortcut.

Measured: an empty unit; one store read in a unit of its own against the same read in a
bare SQLAlchemy transaction on an engine tuned as the store's (what every store method did
before repositories); ten reads in ten units against ten reads in one.

    .venv/bin/python -m benchmarks store_units [--reads 400] [--database-url URL]

Without ``--database-url`` it runs on a SQLite file in a temporary directory; pass a
PostgreSQL URL (an empty database it may migrate) to measure there.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from roasloop.domain.enums import BidStrategy, EntityStatus, OptimizationGoal, Platform
from roasloop.domain.models import AdSet, AgeRange, Targeting
from roasloop.store import SqlAlchemyStore, TokenCipher
from roasloop.store._edge import record_of
from roasloop.store.engine import async_database_url, create_engine
from roasloop.store.tables import AdGroupRow

TENANT, PLATFORM = "bench", Platform.TIKTOK
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def adset(adset_id: str) -> AdSet:
    return AdSet(
        adset_id, "c-1", TENANT, PLATFORM, adset_id, Decimal("50.00"), EntityStatus.ACTIVE,
        Targeting(("US",), AgeRange(18, 35)), OptimizationGoal.VALUE, BidStrategy.LOWEST_COST,
        NOW, NOW,
    )  # fmt: skip


async def _per_call_us(call: Callable[[], Awaitable[object]], calls: int) -> float:
    """Median over five rounds of the mean microseconds per call."""
    await call()
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            await call()
        rounds.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(rounds)


async def measure(url: str, reads: int) -> dict[str, float]:
    store = SqlAlchemyStore(url, TokenCipher(TokenCipher.generate_key()))
    await store.migrate()
    async with store.unit(TENANT) as uow:
        for n in range(10):
            await uow.campaigns.save_adset(adset(f"as-{n}"))
    engine = create_engine(async_database_url(url))  # tuned as the store's own
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    stmt = select(AdGroupRow).where(
        AdGroupRow.tenant_id == TENANT,
        AdGroupRow.platform == PLATFORM,
        AdGroupRow.adset_id == "as-0",
    )

    async def bare() -> object:
        async with sessions.begin() as session:
            row = (await session.scalars(stmt.limit(1))).first()
            return None if row is None else record_of(AdSet, row)

    async def one_unit() -> object:
        async with store.unit(TENANT) as uow:
            return await uow.campaigns.get_adset(PLATFORM, "as-0")

    async def empty_unit() -> None:
        async with store.unit(TENANT):
            pass

    async def ten_units() -> None:
        for n in range(10):
            async with store.unit(TENANT) as uow:
                await uow.campaigns.get_adset(PLATFORM, f"as-{n}")

    async def ten_in_one() -> None:
        async with store.unit(TENANT) as uow:
            for n in range(10):
                await uow.campaigns.get_adset(PLATFORM, f"as-{n}")

    try:
        return {
            "bare": await _per_call_us(bare, reads),
            "unit": await _per_call_us(one_unit, reads),
            "empty": await _per_call_us(empty_unit, reads),
            "ten_units": await _per_call_us(ten_units, reads // 10),
            "ten_in_one": await _per_call_us(ten_in_one, reads // 10),
        }
    finally:
        await engine.dispose()
        await store.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.store_units")
    parser.add_argument("--reads", type=int, default=400)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        us = asyncio.run(measure(url, args.reads))
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(
        f"{backend}: one read in a bare transaction {us['bare']:.0f} µs, in a unit of work "
        f"{us['unit']:.0f} µs ({us['unit'] / us['bare']:.2f}×; an empty unit costs "
        f"{us['empty']:.0f} µs); ten reads in ten units {us['ten_units']:.0f} µs, in one "
        f"unit {us['ten_in_one']:.0f} µs ({us['ten_units'] / us['ten_in_one']:.1f}× faster)"
    )
    return 0
