"""How much an ad group spends on a day, and how the platform splits it across its ads.

All amounts are integer cents, so the caps hold exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from roasloop.sandbox.market._state import GroupDay
from roasloop.sandbox.market.scenario import Budget, Delivery

_DAYS_PER_WEEK = 7


def week_start(day: int) -> int:
    """Ordinal of the Sunday that starts ``day``'s week (Meta's Sun–Sat week, §4a)."""
    weekday = (day + 6) % 7  # date ordinal 1 (0001-01-01) was a Monday → weekday 0
    return day - (weekday + 1) % 7


def weekly_cap(history: Mapping[int, GroupDay], day: int, budget: int) -> int:
    """Cents the ad group may still spend this week on ``day``.

    allowance = budgets of this week's earlier days + today's budget × days left (incl. today);
    cap = max(0, allowance − spent this week). When budgets never fall, a week therefore stays
    within the sum of its days' budgets; a mid-week cut re-plans the remaining days.
    """
    first = week_start(day)
    earlier = [history[d] for d in range(first, day) if d in history]
    allowance = sum(rec.budget for rec in earlier) + budget * (first + _DAYS_PER_WEEK - day)
    return max(0, allowance - sum(rec.spend for rec in earlier))


def daily_cap(budget: int, config: Budget) -> int:
    """The most one day may spend: ``daily_flex`` × budget, in whole cents."""
    return math.floor(budget * config.daily_flex + 1e-9)


def day_spend(
    budget: int,
    demand: float,
    caps: Sequence[int],
) -> int:
    """Planned spend (budget × pacing noise × day-of-week demand) under every cap."""
    planned = round(budget * demand)
    return max(0, min(planned, *caps))


def delivery_shares(values: Sequence[float], config: Delivery) -> list[float]:
    """Share of spend per ad ∝ value-per-dollar^sharpness, floored (gbstats form f + (1−nf)w).

    The floor keeps some delivery on every ad, as the platform's exploration does.
    """
    count = len(values)
    top = max(values)
    if top <= 0:
        return [1.0 / count] * count
    weights = [(v / top) ** config.sharpness if v > 0 else 0.0 for v in values]
    total = sum(weights)
    floor = min(config.min_share, 1.0 / count)
    return [floor + (1.0 - count * floor) * w / total for w in weights]


def split_cents(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` cents by ``shares`` (largest remainder; ties to the earlier ad)."""
    raw = [total * s for s in shares]
    parts = [math.floor(r) for r in raw]
    leftover = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[:leftover]:
        parts[i] += 1
    return parts
