"""The sandbox's time: wall-clock time, moved ahead on request and kept with the sandbox.

``roasloop sandbox advance`` and a served sandbox's ``POST /sandbox/clock/advance`` move it.
How far it was moved is the ``control``/``clock`` document of the sandbox worlds (their
SQLite files in the data directory), so every later process starts from it: a served
sandbox, and the in-process sandboxes the CLI and the module API build.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx

from roasloop.errors import ServiceUnavailable
from roasloop.ports.clock import Clock, SimulatedClock, SystemClock
from roasloop.ports.sandbox import SandboxControl
from roasloop.sandbox.world import SandboxWorld

CONTROL_KIND, CLOCK_ID = "control", "clock"
#: Control routes of a served sandbox (not part of any platform's API).
CLOCK_PATH, ADVANCE_PATH = "/sandbox/clock", "/sandbox/clock/advance"
#: The furthest one call may move the clock.
MAX_ADVANCE_DAYS = 366
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


def saved_now(worlds: Iterable[SandboxWorld]) -> datetime | None:
    """The latest moment any of ``worlds`` was moved to, if any."""
    moments = [datetime.fromisoformat(doc["now"]) for doc in _docs(worlds)]
    return max(moments, default=None)


def restore(worlds: Iterable[SandboxWorld], clock: SandboxClock) -> None:
    """Run ``clock`` as far ahead as ``worlds`` were moved.

    A lead kept by an in-process advance carries on with the wall clock; a served sandbox
    keeps only the moment, which the clock then never reports a time before.
    """
    for doc in _docs(worlds):
        clock.move_to(datetime.fromisoformat(doc["now"]))
        clock.lead_by(timedelta(seconds=float(doc.get("lead_seconds", 0))))


def save_now(
    worlds: Iterable[SandboxWorld], moment: datetime, lead: timedelta | None = None
) -> None:
    """Keep ``moment`` (and ``lead``) in every world: a later process may read any of them."""
    doc: dict[str, object] = {"now": moment.isoformat()}
    if lead is not None:
        doc["lead_seconds"] = lead.total_seconds()
    for world in worlds:
        world.put(CONTROL_KIND, CLOCK_ID, doc)


def advance_saved(worlds: Iterable[SandboxWorld], clock: SandboxClock, days: int) -> datetime:
    """Move ``clock`` (and the time kept in ``worlds``) ``days`` ahead; returns the new time."""
    if not 1 <= days <= MAX_ADVANCE_DAYS:
        raise ValueError(f"days must be within 1..{MAX_ADVANCE_DAYS}")
    worlds = list(worlds)
    restore(worlds, clock)
    moment = clock.advance(timedelta(days=days))
    save_now(worlds, moment, clock.lead)
    return moment


def _docs(worlds: Iterable[SandboxWorld]) -> list[dict[str, Any]]:
    return [doc for world in worlds if (doc := world.get(CONTROL_KIND, CLOCK_ID)) is not None]


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
