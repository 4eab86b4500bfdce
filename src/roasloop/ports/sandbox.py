"""Sandbox time control port: move the simulated market ahead (sandbox mode only)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime


class SandboxControl(ABC):
    """Moves the sandbox's clock, so delivery and reports of the days skipped appear.

    Contract: :meth:`advance` simulates every whole day it skips on every platform's
    sandbox before it returns, never moves time backwards, and returns the new moment
    (timezone-aware UTC). Raises :class:`roasloop.errors.ServiceUnavailable` when a served
    sandbox cannot be reached.
    """

    @abstractmethod
    async def advance(self, days: int) -> datetime: ...
