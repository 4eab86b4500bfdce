"""The sandbox's time: what a world reads it from, and how far the sandbox was moved ahead.

A sandbox world runs on any :class:`Clock` (roasloop's own clocks qualify). ``roasloop
sandbox advance`` and a served sandbox's ``POST /sandbox/clock/advance`` move the time; the
moment reached (and, in process, the lead over the wall clock) is kept as the
``control``/``clock`` document of the sandbox worlds (their SQLite files in the data
directory), so every later process starts from it: a served sandbox, and the in-process
sandboxes the CLI and the module API build.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from roasloop.sandbox.world import SandboxWorld

CONTROL_KIND, CLOCK_ID = "control", "clock"
#: Control routes of a served sandbox (not part of any platform's API).
CLOCK_PATH, ADVANCE_PATH = "/sandbox/clock", "/sandbox/clock/advance"
#: The furthest one call may move the clock.
MAX_ADVANCE_DAYS = 366


class Clock(Protocol):
    """Where a sandbox world reads the time: timezone-aware UTC, never going backwards."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...


def saved_now(worlds: Iterable[SandboxWorld]) -> datetime | None:
    """The latest moment any of ``worlds`` was moved to, if any."""
    return max((moment for moment, _ in saved_times(worlds)), default=None)


def saved_times(worlds: Iterable[SandboxWorld]) -> list[tuple[datetime, timedelta]]:
    """Each kept (moment, lead over the wall clock); a served sandbox keeps no lead (zero)."""
    return [
        (datetime.fromisoformat(doc["now"]), timedelta(seconds=float(doc.get("lead_seconds", 0))))
        for doc in _docs(worlds)
    ]


def save_now(
    worlds: Iterable[SandboxWorld], moment: datetime, lead: timedelta | None = None
) -> None:
    """Keep ``moment`` (and ``lead``) in every world: a later process may read any of them."""
    doc: dict[str, object] = {"now": moment.isoformat()}
    if lead is not None:
        doc["lead_seconds"] = lead.total_seconds()
    for world in worlds:
        world.put(CONTROL_KIND, CLOCK_ID, doc)


def _docs(worlds: Iterable[SandboxWorld]) -> list[dict[str, Any]]:
    return [doc for world in worlds if (doc := world.get(CONTROL_KIND, CLOCK_ID)) is not None]
