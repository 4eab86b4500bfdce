"""Time windows over daily data, with optional attribution maturity.

Reports are daily, so every window is a run of whole days:

* ``today`` — the current day (only rows the store already has for it; usually partial);
* ``yesterday`` — the last complete day;
* ``last_N_hours`` (also ``Nh``, the seed's ``24h``) — the last ⌈N / 24⌉ complete days, so
  ``24h`` = yesterday, ``48h`` = the last two complete days, ``6h`` = yesterday too;
* ``last_Nd`` (``last_3d``, ``last_7d``, ``last_14d``, ``last_30d``, any N ≥ 1; also ``Nd``) —
  the last N complete days, today excluded (as Meta's and TikTok's presets);
* ``lifetime`` — every day the snapshot holds, today included.

``lag`` (attribution maturity, statistics notes §5.2) excludes the most recent ``lag``
complete days: ``last_3d`` with lag 2 covers the three days ending three days ago, so only
days whose conversions have settled count. ``today`` cannot take a lag.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from roasloop.translations import N_, LocalizedValueError

_HOURS = re.compile(r"^(?:last_)?(\d{1,4})_?h(?:ours)?$")
_DAYS = re.compile(r"^(?:last_)?(\d{1,3})_?d(?:ays)?$")
#: Meta's ``time_preset`` and TikTok's ``range_type`` names that mean the same windows.
ALIASES = {
    "today": "today",
    "yesterday": "yesterday",
    "lifetime": "lifetime",
    "maximum": "lifetime",
    "last_hour": "last_1_hours",
    "last_3d": "last_3d",
    "last_3_days": "last_3d",
    "past_three_days": "last_3d",
    "last_5d": "last_5d",
    "past_five_days": "last_5d",
    "last_7d": "last_7d",
    "last_7_days": "last_7d",
    "past_seven_days": "last_7d",
    "last_14d": "last_14d",
    "last_14_days": "last_14d",
    "last_30d": "last_30d",
    "last_30_days": "last_30d",
}


@dataclass(frozen=True, slots=True)
class Window:
    """A named window and its maturity lag, resolved against ``today`` by :meth:`days`."""

    name: str
    kind: Literal["today", "complete", "lifetime"]
    length: int = 1
    lag: int = 0

    def with_lag(self, lag: int) -> Window:
        if lag and self.kind == "today":
            raise LocalizedValueError(N_("today cannot be matured (use yesterday or last_Nd)"))
        return Window(self.name, self.kind, self.length, lag)

    def days(self, today: date, first: date) -> tuple[date, date]:
        """Inclusive first and last day; empty (first > last) when nothing is covered."""
        if self.kind == "today":
            return today, today
        end = today - timedelta(days=1 + self.lag)
        if self.kind == "lifetime":
            return first, today if self.lag == 0 else end
        return end - timedelta(days=self.length - 1), end

    def previous(self) -> Window:
        """The window of the same length just before this one (for ``changed_by_pct``)."""
        if self.kind != "complete":
            raise LocalizedValueError(
                N_("changed_by_pct needs a yesterday/last_Nd/last_N_hours window")
            )
        return Window(f"{self.name}_before", self.kind, self.length, self.lag + self.length)

    @property
    def label(self) -> str:
        return self.name if not self.lag else f"{self.name}~{self.lag}d"


def parse_window(raw: str) -> Window:
    """``ValueError`` for names this module does not know."""
    name = ALIASES.get(raw.strip().lower(), raw.strip().lower())
    if name == "today":
        return Window("today", "today")
    if name == "yesterday":
        return Window("yesterday", "complete", 1)
    if name == "lifetime":
        return Window("lifetime", "lifetime")
    hours = _HOURS.match(name)
    if hours and int(hours[1]) >= 1:
        return Window(f"last_{hours[1]}_hours", "complete", math.ceil(int(hours[1]) / 24))
    days = _DAYS.match(name)
    if days and int(days[1]) >= 1:
        return Window(f"last_{days[1]}d", "complete", int(days[1]))
    raise LocalizedValueError(
        N_(
            "unknown window {window}: today, yesterday, last_N_hours, last_Nd "
            "(3d/5d/7d/14d/30d) or lifetime"
        ),
        window=repr(raw),
    )
