"""Sandbox time as roasloop sees it: the clock sandbox mode runs on, and how it is moved.

Part of the composition root (only :mod:`roasloop.bootstrap_sandbox` and the tests use it).
:class:`SandboxClock` is the :class:`~roasloop.ports.clock.Clock` of sandbox mode: wall-clock
time plus how far the sandbox was moved ahead. :class:`InProcessControl` and
:class:`ServedControl` implement the :class:`~roasloop.ports.sandbox.SandboxControl` port
over the sandboxes this process runs and over a served sandbox. The moment reached is kept
with the sandbox worlds (:mod:`roasloop.sandbox.clock`), so every later process starts from it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

import httpx

from roasloop.errors import ServiceUnavailable
from roasloop.ports.clock import Clock, SimulatedClock, SystemClock
from roasloop.ports.sandbox import SandboxControl
from roasloop.sandbox.clock import (
    ADVANCE_PATH,
    CLOCK_PATH,
    MAX_ADVANCE_DAYS,
    save_now,
    saved_times,
)
from roasloop.sandbox.world import SandboxWorld

#: Reading the clock is instant; an advance simulates every day it skips, which takes longer.
CONTROL_TIMEOUT_SECONDS, ADVANCE_TIMEOUT_SECONDS = 5.0, 120.0


class SandboxClock(Clock):
    """``base`` time (wall-clock by default) plus how far the sandbox was moved ahead.

    It keeps running, so leases, caches and rate windows expire as they would; moving it
    ahead only ever grows the lead, so it never goes backwards.
    """

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._lead = timedelta(0)
        self._lock = threading.Lock()

    @property
    def lead(self) -> timedelta:
        """How far ahead of its base this clock runs."""
        with self._lock:
            return self._lead

    def now(self) -> datetime:
        return self._base.now() + self.lead

    def move_to(self, moment: datetime | None) -> None:
        """Never report a time before ``moment`` (an earlier moment or ``None`` changes nothing)."""
        if moment is None:
            return
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        self.lead_by(moment - self._base.now())

    def lead_by(self, lead: timedelta) -> None:
        """Run at least ``lead`` ahead of the base."""
        with self._lock:
            self._lead = max(self._lead, lead)

    def advance(self, delta: timedelta) -> datetime:
        """Move ahead by ``delta``; returns the new time."""
        if delta < timedelta(0):
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._lead += delta
        return self.now()


def restore(worlds: Iterable[SandboxWorld], clock: SandboxClock) -> None:
    """Run ``clock`` as far ahead as ``worlds`` were moved.

    A lead kept by an in-process advance carries on with the wall clock; a served sandbox
    keeps only the moment, which the clock then never reports a time before.
    """
    for moment, lead in saved_times(worlds):
        clock.move_to(moment)
        clock.lead_by(lead)


def advance_saved(worlds: Iterable[SandboxWorld], clock: SandboxClock, days: int) -> datetime:
    """Move ``clock`` (and the time kept in ``worlds``) ``days`` ahead; returns the new time."""
    if not 1 <= days <= MAX_ADVANCE_DAYS:
        raise ValueError(f"days must be within 1..{MAX_ADVANCE_DAYS}")
    worlds = list(worlds)
    restore(worlds, clock)
    moment = clock.advance(timedelta(days=days))
    save_now(worlds, moment, clock.lead)
    return moment


async def served_now(url: str) -> datetime | None:
    """The clock of the sandbox served at ``url``; ``None`` if it cannot be read."""
    try:
        async with httpx.AsyncClient(timeout=CONTROL_TIMEOUT_SECONDS) as http:
            response = await http.get(url.rstrip("/") + CLOCK_PATH)
            response.raise_for_status()
            return datetime.fromisoformat(response.json()["now"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None


def advance_served(url: str, days: int) -> datetime:
    """Ask the sandbox served at ``url`` to move ``days`` ahead; returns its new time.

    Raises :class:`httpx.HTTPError` when the sandbox cannot be reached or refuses.
    """
    response = httpx.post(
        url.rstrip("/") + ADVANCE_PATH, json={"days": days}, timeout=ADVANCE_TIMEOUT_SECONDS
    )
    response.raise_for_status()
    return datetime.fromisoformat(response.json()["now"])


class InProcessControl(SandboxControl):
    """Time control of the sandboxes this process runs (kept in their SQLite files)."""

    def __init__(self, worlds: Iterable[SandboxWorld], clock: Clock) -> None:
        self._worlds, self._clock = list(worlds), clock

    async def advance(self, days: int) -> datetime:
        return await asyncio.to_thread(self._advance, days)

    def _advance(self, days: int) -> datetime:
        if isinstance(self._clock, SandboxClock):
            moment = advance_saved(self._worlds, self._clock, days)
        elif isinstance(self._clock, SimulatedClock):
            moment = self._clock.advance(timedelta(days=days))
            save_now(self._worlds, moment)
        else:
            raise ValueError("this clock cannot be moved")
        for world in self._worlds:
            world.catch_up()
        return moment


class ServedControl(SandboxControl):
    """Time control of a sandbox served elsewhere (``ROASLOOP_SANDBOX_URL``)."""

    def __init__(self, url: str, clock: SandboxClock) -> None:
        self._url, self._clock = url, clock

    async def advance(self, days: int) -> datetime:
        try:
            moment = await asyncio.to_thread(advance_served, self._url, days)
        except (httpx.HTTPError, ValueError, KeyError):
            raise ServiceUnavailable("the served sandbox did not move its clock") from None
        self._clock.move_to(moment)
        return moment
