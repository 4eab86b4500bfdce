"""Clock port: decisions and the simulator read time only through this."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, timedelta


class Clock(ABC):
    """Source of the current time.

    Contract: :meth:`now` returns a timezone-aware UTC datetime that never goes backwards
    within one process.
    """

    @abstractmethod
    def now(self) -> datetime: ...

    def today(self) -> date:
        return self.now().date()


class SystemClock(Clock):
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock(Clock):
    """A clock that only moves when told to (demo, back-tests, the sandbox)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        with self._lock:
            if moment < self._now:
                raise ValueError("a clock cannot go backwards")
            self._now = moment.astimezone(UTC)
