"""Operands for every metric of the language over one frame, as of one day.

Window sums come from the frame's prefix sums (one subtraction per row) and are cached
for the cycle, so twenty rules reading ``cpa@last_7d`` compute it once. Aggregates
(``campaign`` / ``scope``) sum numerators and denominators over the rule's scope before
dividing, so an aggregated ROAS is Σrevenue / Σspend.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np

from roasloop.decisions.rules.catalog import COUNTS, RATIOS
from roasloop.decisions.rules.frame import MONEY_COUNTS, ObjectFrame
from roasloop.decisions.rules.model import CompiledRule
from roasloop.decisions.rules.operands import BoolArray, Change, Constant, IntArray, Operand, Ratio
from roasloop.decisions.rules.windows import Window

CENTS = Fraction(1, 100)


class MetricSource:
    """Operands of ``frame`` as of ``today`` (the last complete day is ``today - 1``)."""

    def __init__(self, frame: ObjectFrame, today: date) -> None:
        self.frame = frame
        self.today = today
        self.size = len(frame)
        self._sums: dict[tuple[str, str, int], IntArray] = {}
        self._static: dict[str, Ratio] = {}

    # --- windows -------------------------------------------------------------------------
    def bounds(self, window: Window) -> tuple[int, int]:
        """Inclusive column range of ``window`` clipped to the frame (``lo > hi`` if empty)."""
        first, last = window.days(self.today, self.frame.first_day)
        lo = max(self.frame.column(first), 0)
        hi = min(self.frame.column(last), self.frame.days - 1)
        return lo, hi

    def window_sum(self, count: str, window: Window) -> IntArray:
        key = (count, window.name, window.lag)
        if key not in self._sums:
            lo, hi = self.bounds(window)
            cum = self.frame.cumulative(count)
            if lo > hi:
                self._sums[key] = np.zeros(self.size, dtype=np.int64)
            else:
                self._sums[key] = cum[:, hi + 1] - cum[:, lo]
        return self._sums[key]

    # --- operands ------------------------------------------------------------------------
    def operand(
        self, metric: str, window: Window, aggregate: str, rows: BoolArray, rule: CompiledRule
    ) -> Operand:
        """The operand of ``metric``; ``rows`` is the rule's scope (for aggregates)."""
        if metric in COUNTS:
            scale = CENTS if metric in MONEY_COUNTS else Fraction(1)
            return Ratio(self._agg(self.window_sum(metric, window), aggregate, rows), None, scale)
        if metric in RATIOS:
            num, den, a, b = RATIOS[metric]
            top = self._agg(self.window_sum(num, window), aggregate, rows)
            bottom = self._agg(self.window_sum(den, window), aggregate, rows)
            return Ratio(top, bottom, Fraction(a, b))
        if metric == "budget_utilization":
            return self._utilization(window, aggregate, rows)
        return self.static(metric, rule)

    def changed(
        self, metric: str, window: Window, aggregate: str, rows: BoolArray, rule: CompiledRule
    ) -> Operand:
        """Percentage change of ``metric`` over ``window`` against the window just before."""
        current = self.operand(metric, window, aggregate, rows, rule)
        previous = self.operand(metric, window.previous(), aggregate, rows, rule)
        return Change(current, previous)

    def static(self, metric: str, rule: CompiledRule) -> Operand:
        if metric == "target_roas" and rule.target_roas is not None:
            return Constant(rule.target_roas, self.size)
        if metric == "target_cpa" and rule.target_cpa_cents is not None:
            return Constant(Fraction(rule.target_cpa_cents, 100), self.size)
        if metric not in self._static:
            self._static[metric] = self._build_static(metric)
        return self._static[metric]

    def _build_static(self, metric: str) -> Ratio:
        f = self.frame
        if metric == "budget":
            return Ratio(f.budget_cents, None, CENTS, f.budget_cents >= 0)
        if metric == "target_roas":
            return Ratio(f.target_roas_e4, None, Fraction(1, 10_000), f.target_roas_e4 > 0)
        if metric == "target_cpa":
            return Ratio(f.target_cpa_cents, None, CENTS, f.target_cpa_cents > 0)
        if metric == "days_running":
            return Ratio(self.days_running())
        last, running = self._last_conversion(), self.days_running()
        if metric == "days_without_conversions":
            return Ratio(np.minimum(self._yesterday() - last, running))
        cum = f.cumulative("spend")
        end = np.clip(self._yesterday() + 1, 0, f.days)
        return Ratio(
            cum[:, end] - cum[np.arange(self.size), np.clip(last + 1, 0, end)], None, CENTS
        )

    def days_running(self) -> IntArray:
        """Complete days since creation (creation day included)."""
        return np.maximum(self._yesterday() - self.frame.created_day + 1, 0)

    def _yesterday(self) -> int:
        return self.frame.column(self.today) - 1

    def _last_conversion(self) -> IntArray:
        """Column of the last complete day with a conversion, or -1."""
        y = min(self._yesterday(), self.frame.days - 1)
        if y < 0:
            return np.full(self.size, -1, dtype=np.int64)
        seen = self.frame.counts["conversions"][:, : y + 1] > 0
        from_end = np.argmax(seen[:, ::-1], axis=1)
        return np.where(seen.any(axis=1), y - from_end, -1).astype(np.int64)

    def _utilization(self, window: Window, aggregate: str, rows: BoolArray) -> Operand:
        lo, hi = self.bounds(window)
        f = self.frame
        active_days = np.clip(hi - np.maximum(lo, f.created_day) + 1, 0, None)
        capacity = np.where(f.budget_cents > 0, f.budget_cents, 0) * active_days
        spend = self._agg(self.window_sum("spend", window), aggregate, rows)
        return Ratio(spend, self._agg(capacity, aggregate, rows), Fraction(1))

    def _agg(self, sums: IntArray, aggregate: str, rows: BoolArray) -> IntArray:
        if aggregate == "object":
            return sums
        if aggregate == "scope":
            return np.full(self.size, int(sums[rows].sum()), dtype=np.int64)
        codes, groups = self.frame.campaign_codes
        weights = sums[rows].astype(np.float64)
        grouped = np.bincount(codes[rows], weights=weights, minlength=groups)
        return np.rint(grouped).astype(np.int64)[codes]
