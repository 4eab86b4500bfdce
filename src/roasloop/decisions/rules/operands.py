"""Metric values of every row as an operand: fast ``float64`` values plus an exact fallback.

Comparisons run on floats; rows where the two sides are within a few ulps of each other
are re-decided with :class:`~fractions.Fraction` arithmetic on the integer sums, so a
threshold such as ``ROAS > 1.5 × 1.1`` decides exactly as ``Decimal`` would, at the speed
of numpy. An undefined value (``NaN``: CPA without conversions, ROAS without spend, an
unknown budget or target) makes every comparison on it false, ``!=`` included.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Operand(Protocol):
    """Per-row values of one side of a comparison."""

    def values(self) -> FloatArray:
        """Float values, ``NaN`` where undefined."""

    def exact(self, row: int) -> Fraction | None:
        """The exact value of ``row`` (``None`` where undefined)."""

    @property
    def float_exact(self) -> bool:
        """True when every float value equals the exact value (no fallback needed)."""


@dataclass(frozen=True, eq=False)
class Ratio:
    """``num / den × scale`` per row; ``den`` None means 1; ``valid`` masks unknown rows."""

    num: IntArray
    den: IntArray | None = None
    scale: Fraction = Fraction(1)
    valid: BoolArray | None = None

    def values(self) -> FloatArray:
        top = self.num.astype(np.float64)
        if self.den is None:
            out = top
        else:
            bottom = self.den.astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                out = np.where(self.den != 0, top / bottom, np.nan)
        if self.scale != 1:
            out = out * float(self.scale)
        if self.valid is not None:
            out = np.where(self.valid, out, np.nan)
        return out

    def exact(self, row: int) -> Fraction | None:
        if self.valid is not None and not self.valid[row]:
            return None
        den = 1 if self.den is None else int(self.den[row])
        return None if den == 0 else Fraction(int(self.num[row]), den) * self.scale

    @property
    def float_exact(self) -> bool:
        return self.den is None and self.scale == 1 and self.num.dtype.kind == "i"


@dataclass(frozen=True, eq=False)
class Scaled:
    """``coef × operand`` (the right-hand side ``1.5 * target_cpa``)."""

    base: Operand
    coef: Fraction

    def values(self) -> FloatArray:
        return self.base.values() * float(self.coef)

    def exact(self, row: int) -> Fraction | None:
        value = self.base.exact(row)
        return None if value is None else value * self.coef

    @property
    def float_exact(self) -> bool:
        return False


@dataclass(frozen=True, eq=False)
class Constant:
    value: Fraction
    size: int

    def values(self) -> FloatArray:
        return np.full(self.size, float(self.value))

    def exact(self, row: int) -> Fraction | None:
        return self.value

    @property
    def float_exact(self) -> bool:
        return Fraction(float(self.value)) == self.value


@dataclass(frozen=True, eq=False)
class Change:
    """Percentage change of ``current`` over ``previous`` (undefined when previous is 0)."""

    current: Operand
    previous: Operand

    def values(self) -> FloatArray:
        now, before = self.current.values(), self.previous.values()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(before != 0, (now / before - 1.0) * 100.0, np.nan)

    def exact(self, row: int) -> Fraction | None:
        now, before = self.current.exact(row), self.previous.exact(row)
        if now is None or before is None or before == 0:
            return None
        return (now / before - 1) * 100

    @property
    def float_exact(self) -> bool:
        return False


_FLOAT_OPS = {
    ">": np.greater,
    ">=": np.greater_equal,
    "<": np.less,
    "<=": np.less_equal,
    "==": np.equal,
    "!=": np.not_equal,
}
_EXACT_OPS = {
    ">": Fraction.__gt__,
    ">=": Fraction.__ge__,
    "<": Fraction.__lt__,
    "<=": Fraction.__le__,
    "==": Fraction.__eq__,
    "!=": Fraction.__ne__,
}
#: Relative distance under which two floats may be on the wrong side of each other.
NEAR = 1e-9


def compare(left: Operand, op: str, right: Operand, rows: BoolArray) -> BoolArray:
    """``left op right`` for the rows in ``rows``; false wherever a side is undefined."""
    a, b = left.values(), right.values()
    defined = rows & ~np.isnan(a) & ~np.isnan(b)
    with np.errstate(invalid="ignore"):
        result = _FLOAT_OPS[op](a, b) & defined
    if left.float_exact and right.float_exact:
        return result
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= NEAR * np.maximum(np.abs(a), np.abs(b))
    unsure = np.flatnonzero(defined & close & ~((a == 0) & (b == 0)))
    exact = _EXACT_OPS[op]
    for row in unsure.tolist():
        x, y = left.exact(row), right.exact(row)
        result[row] = x is not None and y is not None and bool(exact(x, y))
    return result
