"""Budget arithmetic on integer cents, vectorized, rounding as :mod:`roasloop.domain.money`.

``scale_half_up(old, f)`` equals ``quantize(old × f)`` (round half up to the cent) for every
non-negative ``old``, so a preset decides the same budgets as the seed policy written with
``Decimal``. The order of clamps is the safety order: the action's own limits first
(``change_spec.limit``, ``min_budget``/``max_budget``, never flipping the direction), then
the step cap, then the platform minimum, which wins over everything (same as
:func:`roasloop.decisions.guards.guard`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from roasloop.decisions.rules.catalog import COST_METRICS, ActionType
from roasloop.decisions.rules.model import Change
from roasloop.decisions.rules.operands import FloatArray, IntArray
from roasloop.decisions.rules.plan import Note


def scale_floor(cents: IntArray, factor: Fraction) -> IntArray:
    """``floor(cents × factor)`` exactly (``factor`` ≥ 0)."""
    out: IntArray = (cents * factor.numerator) // factor.denominator
    return out


def scale_ceil(cents: IntArray, factor: Fraction) -> IntArray:
    """``ceil(cents × factor)`` exactly (``factor`` ≥ 0)."""
    out: IntArray = -((-cents * factor.numerator) // factor.denominator)
    return out


def scale_half_up(cents: IntArray, factor: Fraction) -> IntArray:
    """``round_half_up(cents × factor)`` exactly (``factor`` ≥ 0)."""
    p, q = factor.numerator, factor.denominator
    out: IntArray = (2 * cents * p + q) // (2 * q)
    return out


def proposed(kind: ActionType, change: Change, old: IntArray, scale: FloatArray | None) -> IntArray:
    """The budget each action asks for, before any clamp (``scale``: ``scale_budget``'s factors)."""
    if kind is ActionType.SET_BUDGET:
        return np.full(old.shape, int(change.amount), dtype=np.int64)
    if kind is ActionType.SCALE_BUDGET:
        assert scale is not None
        with np.errstate(invalid="ignore"):
            raw = np.floor(old * np.nan_to_num(scale, nan=1.0, posinf=1.0) + 0.5)
        scaled: IntArray = raw.astype(np.int64)
        return scaled
    sign = 1 if kind is ActionType.INCREASE_BUDGET else -1
    if change.unit == "currency":
        return np.maximum(old + sign * int(change.amount), 0)
    return scale_half_up(old, 1 + sign * change.amount / 100)


def bid_step(change: Change, old: IntArray) -> IntArray:
    """The bid a ``change_bid`` asks for: the old bid moved by a signed percentage or amount."""
    if change.unit == "currency":
        return np.maximum(old + int(change.amount), 0)
    return scale_half_up(old, 1 + change.amount / 100)


def target_factor(metric: str, actual: FloatArray, target: FloatArray) -> FloatArray:
    """How far to move toward a target: target/actual for costs, actual/target for values."""
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = target / actual if metric in COST_METRICS else actual / target
    return np.where(np.isfinite(factor) & (factor > 0), factor, np.nan)


def clamp(
    old: IntArray, new: IntArray, limit: int | None, low: int | None, high: int | None
) -> tuple[IntArray, IntArray]:
    """Apply ``limit`` (ceiling up / floor down) and ``[low, high]`` without flipping direction."""
    notes = np.zeros(old.shape, dtype=np.int64)
    up, down = new > old, new < old
    if limit is not None:
        limited = np.where(up, np.minimum(new, limit), np.where(down, np.maximum(new, limit), new))
        notes |= np.where(limited != new, int(Note.LIMIT), 0)
        new = limited
    if high is not None or low is not None:
        bounded = np.clip(new, low, high)
        notes |= np.where(bounded != new, int(Note.BOUNDS), 0)
        new = bounded
    final = np.where(up, np.maximum(new, old), np.where(down, np.minimum(new, old), new))
    return final.astype(np.int64), notes


def guard_cap(
    old: IntArray, new: IntArray, cap: Fraction, minimum: IntArray
) -> tuple[IntArray, IntArray]:
    """Vectorized :func:`roasloop.decisions.guards.guard`: the step cap (rounded toward
    ``old``, never past the cap), then the minimum."""
    low = np.maximum(scale_ceil(old, 1 - cap), minimum)
    high = np.maximum(scale_floor(old, 1 + cap), minimum)
    out = np.minimum(np.maximum(new, low), high)
    notes = np.where((out != new) & (out == minimum), int(Note.MINIMUM), 0)
    notes |= np.where((out != new) & (out != minimum), int(Note.CAPPED), 0)
    return out.astype(np.int64), notes.astype(np.int64)
