"""Test doubles at the outer boundary: time."""

from __future__ import annotations


class FakeTime:
    """A monotonic clock and a sleep that advances it (no test ever waits)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
