"""Tracking anomalies: days on which the whole campaign's reported conversions jump or collapse.

A pixel outage, an expired Conversions-API token or a de-duplication bug moves every ad set's
reported conversions at once, while the business does not change (market_benchmarks §8 family
8). Each ad set's own conversion rate per visible dollar, from the other days, predicts the
day's campaign total; a day whose reported total is far below (≤ 40 %) or above (≥ 160 %) that
prediction with a Poisson tail probability < 1 % is anomalous. Comparing per ad set keeps the
check blind to budget shifts between ad sets of different quality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from scipy.stats import poisson

from roasloop.decisions.snapshot import AdSetSnapshot
from roasloop.domain.attribution import visible_share


@dataclass(frozen=True, slots=True)
class AnomalyConfig:
    window_days: int = 21
    min_visible: float = 0.5
    low_ratio: float = 0.4
    high_ratio: float = 1.6
    p_value: float = 0.01
    min_expected: float = 6.0
    passes: int = 2


@dataclass(frozen=True, slots=True)
class Anomaly:
    day: date
    observed: int
    expected: float

    @property
    def ratio(self) -> float:
        return self.observed / self.expected


Cell = tuple[float, float]  # (reported conversions, visible spend)


def find_anomalies(
    snapshots: Sequence[AdSetSnapshot],
    as_of: date,
    maturity: tuple[float, ...],
    config: AnomalyConfig | None = None,
) -> list[Anomaly]:
    """Anomalous days of the last ``window_days`` (oldest first)."""
    config = config or AnomalyConfig()
    grid = _grid(snapshots, as_of, maturity, config)
    days = sorted({day for cells in grid for day in cells})
    flagged: list[Anomaly] = []
    for _ in range(config.passes):
        skip = {a.day for a in flagged}
        rates = [_rate(cells, skip) for cells in grid]
        flagged = [a for a in (_check(grid, rates, day, config) for day in days) if a is not None]
    return flagged


def _grid(
    snapshots: Sequence[AdSetSnapshot],
    as_of: date,
    maturity: tuple[float, ...],
    config: AnomalyConfig,
) -> list[dict[date, Cell]]:
    grid = []
    for snapshot in snapshots:
        cells = {}
        for point in snapshot.history[-config.window_days :]:
            visible = visible_share(maturity, (as_of - point.day).days)
            spend = float(point.metrics.spend)
            if visible >= config.min_visible and spend > 0:
                cells[point.day] = (float(point.metrics.conversions), visible * spend)
        grid.append(cells)
    return grid


def _rate(cells: dict[date, Cell], skip: set[date]) -> float:
    conversions = sum(c for day, (c, _) in cells.items() if day not in skip)
    exposure = sum(e for day, (_, e) in cells.items() if day not in skip)
    return conversions / exposure if exposure > 0 else 0.0


def _check(
    grid: list[dict[date, Cell]], rates: list[float], day: date, config: AnomalyConfig
) -> Anomaly | None:
    observed = sum(cells[day][0] for cells in grid if day in cells)
    expected = sum(r * cells[day][1] for cells, r in zip(grid, rates, strict=True) if day in cells)
    if expected < config.min_expected:
        return None
    count = round(observed)
    low = count <= config.low_ratio * expected and poisson.cdf(count, expected) < config.p_value
    high = (
        count >= config.high_ratio * expected and poisson.sf(count - 1, expected) < config.p_value
    )
    return Anomaly(day, count, expected) if low or high else None
