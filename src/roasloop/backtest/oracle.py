"""The oracle: knows the market's truth and maximises each day's expected profit.

Each morning, for every ad group it values a set of candidate budgets with the market's
``expected_outcome`` (true CPM/CTR/CVR, saturation, fatigue so far, learning state, day of
week; no noise) as margin × expected revenue − spend, and picks one budget per ad group
(0 = paused) maximising the total under the campaign budget: a multiple-choice knapsack solved
exactly by dynamic programming on a 1/500 grid of the budget.

Candidates: on launch day any budget from the platform minimum to the whole campaign budget
(edits before the first delivery cost nothing); afterwards budgets within 98 % of the
scenario's learning-reset threshold of the current one (a larger change would send the ad
group back to learning), or a pause (free for under a week). A creative that is still warming
up is valued at its warm rates when the days left are at least twice the days it needs to
finish warming at that budget — the one place the oracle looks ahead.

Limits (why a policy can beat it): it is myopic — it does not value how today's impressions
fatigue tomorrow's ad, nor the learning phase it could exit by spending more; it plans budgets,
and the market's pacing noise decides the spend; and it never resumes a paused group later to
use a fresher audience. It is an upper reference for "allocation with perfect knowledge of
today", not the optimal dynamic policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from roasloop.backtest.engine import Bench, Move
from roasloop.domain.money import CENT

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
_CELLS = 500


@dataclass(frozen=True, slots=True)
class Oracle:
    """``delay_days`` > 0 keeps the launch allocation for that many days first: an upper bound
    on what perfect knowledge can earn when it arrives only then (no learner knows day 0)."""

    name: str = "oracle"
    launch_levels: int = 40
    step_levels: int = 10
    delay_days: int = 0

    def morning(self, bench: Bench, day: date) -> list[Move]:
        if (day - bench.settings.start).days < self.delay_days:
            return []
        groups = bench.campaign.groups
        first = day == bench.settings.start
        options = [self._options(bench, group, day, first) for group in groups]
        chosen = _knapsack(options, float(bench.campaign.daily_budget))
        moves = []
        for group, budget in zip(groups, chosen, strict=True):
            current = bench.market.daily_budget(group)
            if budget == 0:
                if bench.active[group]:
                    moves.append(Move(group, None))
            elif budget != current or not bench.active[group]:
                moves.append(Move(group, budget))
        return moves

    def _options(
        self, bench: Bench, group: str, day: date, first: bool
    ) -> list[tuple[Decimal, float]]:
        minimum = bench.campaign.minimum
        total = bench.campaign.daily_budget
        if first:
            fractions = [i / self.launch_levels for i in range(self.launch_levels + 1)]
            levels = {minimum + (total - minimum) * Decimal(repr(f)) for f in fractions}
        else:
            current = bench.market.daily_budget(group)
            reach = 0.98 * bench.scenario.learning.budget_reset_threshold
            steps = [-1 + 2 * i / self.step_levels for i in range(self.step_levels + 1)]
            levels = {current * Decimal(repr(1 + reach * t)) for t in steps}
            levels = {b for b in levels if minimum <= b <= total}
        budgets = sorted({b.quantize(CENT) for b in levels})
        return [(Decimal(0), 0.0)] + [(b, _value(bench, group, b, day)) for b in budgets]


def _value(bench: Bench, group: str, budget: Decimal, day: date) -> float:
    """Expected profit of ``group`` spending ``budget`` on ``day`` (warm rates, see above)."""
    revenue = float(bench.market.expected_outcome(group, budget, day)[1])
    revenue /= _warmup_discount(bench, group, float(budget), day)
    return bench.scenario.margin * revenue - float(budget)


def _warmup_discount(bench: Bench, group: str, spend: float, day: date) -> float:
    """The warm-up multiplier to undo, or 1.0 when finishing warm-up does not pay in time."""
    ad = bench.campaign.ads[group]
    truth = bench.market.true_parameters(ad, day)
    mult = truth.warmup_multiplier
    if mult >= 1.0 or spend <= 0:
        return 1.0
    scenario = bench.scenario
    spec = scenario.creatives.get(ad.split("/", 1)[1], scenario.creative_defaults)
    ramp = 1.0 - (1.0 - mult) / spec.warmup_penalty
    missing = (1.0 - ramp) * spec.warmup_impressions
    per_day = spend * 1000.0 / float(truth.cpm)
    end = bench.settings.start + timedelta(days=bench.settings.days)
    return mult if (end - day).days >= 2.0 * missing / per_day else 1.0


def _knapsack(options: list[list[tuple[Decimal, float]]], total: float) -> list[Decimal]:
    """One option per group maximising the summed value with budgets summing to ≤ ``total``."""
    unit = total / _CELLS
    best: FloatArray = np.zeros(_CELLS + 1)
    picks: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    for group_options in options:
        table = np.full((len(group_options), _CELLS + 1), -np.inf)
        for index, (budget, value) in enumerate(group_options):
            cost = math.ceil(float(budget) / unit - 1e-9)
            if cost <= _CELLS:
                table[index, cost:] = best[: _CELLS + 1 - cost] + value
        picks.append(np.argmax(table, axis=0))
        best = table.max(axis=0)
    chosen, cell = [], int(np.argmax(best))
    for group_options, pick in zip(reversed(options), reversed(picks), strict=True):
        index = int(pick[cell])
        budget = group_options[index][0]
        chosen.append(budget)
        cell -= math.ceil(float(budget) / unit - 1e-9)
    return list(reversed(chosen))
