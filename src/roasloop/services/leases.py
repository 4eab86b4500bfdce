"""Named leases in the store: one run of a structure request, and one writer per campaign.

A lease is a row the store hands to one owner at a time, across tasks and processes
(:meth:`~roasloop.ports.store.LeaseRepository.acquire`), each take and release in a unit
of work of its own. A caller that finds it taken waits up to ``settings.lease_wait_seconds``
for it, then gets :class:`RequestInProgress`. A lease expires ``settings.lease_seconds``
after it was last taken or renewed, so a killed worker blocks nobody for longer than that.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from roasloop.errors import RequestInProgress
from roasloop.services.common import Deps, RequestContext, new_id

#: First and longest pause between two attempts to take a busy lease (seconds).
FIRST_POLL, LONGEST_POLL = 0.01, 0.25
#: When a refused caller is told to try again (seconds); most holders finish well before.
RETRY_HINT_SECONDS = 5


@dataclass(frozen=True, slots=True)
class Lease:
    """A lease this caller holds; :meth:`renew` before long steps pushes its expiry on."""

    deps: Deps
    tenant_id: str
    name: str
    owner: str

    async def renew(self) -> None:
        await _take(self.deps, self.tenant_id, self.name, self.owner)


def lease_name(kind: str, *parts: str) -> str:
    """A bounded, collision-free name for any subject (ids may be long or odd)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"{kind}:{digest}"


def campaign_lease(platform: str, campaign_id: str) -> str:
    """The lease every writer of one campaign's budgets, bids and statuses holds."""
    return lease_name("campaign", platform, campaign_id)


@asynccontextmanager
async def holding_all(deps: Deps, ctx: RequestContext, names: Iterable[str]) -> AsyncIterator[None]:
    """Hold several leases, taken in sorted order so two holders can never wait on each other."""
    async with AsyncExitStack() as stack:
        for name in sorted(set(names)):
            await stack.enter_async_context(holding(deps, ctx, name))
        yield


@asynccontextmanager
async def holding(deps: Deps, ctx: RequestContext, name: str) -> AsyncIterator[Lease]:
    """Hold the tenant's lease ``name`` for the block; released however the block ends."""
    lease = Lease(deps, ctx.tenant_id, name, new_id("lease"))
    await _wait_for(lease)
    try:
        yield lease
    finally:
        async with deps.store.unit(lease.tenant_id) as uow:
            await uow.leases.release(lease.name, lease.owner)


async def _wait_for(lease: Lease) -> None:
    settings = lease.deps.settings
    deadline = time.monotonic() + settings.lease_wait_seconds
    pause = FIRST_POLL
    while not await _take(lease.deps, lease.tenant_id, lease.name, lease.owner):
        if time.monotonic() >= deadline:
            raise RequestInProgress(
                "another caller holds this request", retry_after=RETRY_HINT_SECONDS
            )
        await asyncio.sleep(pause)
        pause = min(pause * 2, LONGEST_POLL)


async def _take(deps: Deps, tenant_id: str, name: str, owner: str) -> bool:
    now = deps.clock.now()
    until = now + timedelta(seconds=deps.settings.lease_seconds)
    async with deps.store.unit(tenant_id) as uow:
        return await uow.leases.acquire(name, owner, now, until)
