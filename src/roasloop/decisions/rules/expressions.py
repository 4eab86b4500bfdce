"""Right-hand sides of conditions: a number, or a number times a metric (``1.5 * target_cpa``).

Accepted spellings: ``50``, ``"50"``, ``"1.5 * target_cpa"``, ``"target_cpa * 1.5"``,
``"target_cpa"``, ``{"metric": "target_cpa", "times": 1.5}``. Numbers become exact
:class:`~fractions.Fraction` values (floats via ``repr``, so ``1.1`` means 11/10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from roasloop.translations import N_, LocalizedValueError

_PRODUCT = re.compile(
    r"^\s*(?:(?P<a>[-+]?[\d.]+)\s*\*\s*)?(?P<m>[a-z_]+)(?:\s*\*\s*(?P<b>[-+]?[\d.]+))?\s*$"
)


@dataclass(frozen=True, slots=True)
class Expr:
    """``coef`` alone (``metric`` is None) or ``coef × metric`` of the same object and window."""

    coef: Fraction
    metric: str | None = None

    def __str__(self) -> str:
        number = _show(self.coef)
        if self.metric is None:
            return number
        return self.metric if self.coef == 1 else f"{number} × {self.metric}"


def number(value: Any) -> Fraction:
    """An exact number from JSON input; ``ValueError`` for anything else (booleans too)."""
    if isinstance(value, bool) or value is None:
        raise LocalizedValueError(N_("must be a number"))
    if isinstance(value, Fraction):
        return value
    try:
        decimal = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise LocalizedValueError(N_("not a number: {value}"), value=repr(value)) from exc
    if not decimal.is_finite():
        raise LocalizedValueError(N_("must be finite"))
    return Fraction(decimal)


def parse_expr(value: Any, metrics: frozenset[str]) -> Expr:
    """Parse one right-hand side; ``ValueError`` names what is wrong."""
    if isinstance(value, dict):
        return _from_mapping(value, metrics)
    if isinstance(value, str) and re.search(r"[a-z_]", value):
        match = _PRODUCT.match(value)
        if match is None or (match["a"] and match["b"]):
            raise LocalizedValueError(
                N_("expected 'NUMBER * METRIC' or a number, got {value}"), value=repr(value)
            )
        coef = number(match["a"] or match["b"] or 1)
        return Expr(coef, _metric(match["m"], metrics))
    return Expr(number(value))


def _from_mapping(value: dict[str, Any], metrics: frozenset[str]) -> Expr:
    unknown = set(value) - {"metric", "times"}
    if unknown or "metric" not in value:
        raise LocalizedValueError(N_("expected {shape}"), shape="{metric, times?}")
    return Expr(number(value.get("times", 1)), _metric(value["metric"], metrics))


def _metric(name: Any, metrics: frozenset[str]) -> str:
    if name not in metrics:
        raise LocalizedValueError(N_("unknown metric {name} in expression"), name=repr(name))
    return str(name)


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0")
