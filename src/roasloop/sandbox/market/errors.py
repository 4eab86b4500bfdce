"""What the simulator refuses: its own errors, independent of any platform's or roasloop's.

The sandbox platform apps check requests in their platform's terms before they reach the
market, so these surface only to direct callers (back-tests, tests) or on an internal slip.
"""

from __future__ import annotations


class MarketError(Exception):
    """Base of the simulator's errors."""


class InvalidInput(MarketError):
    """A value the simulator cannot use; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownEntity(MarketError):
    """An ad group or ad key the market does not hold."""
