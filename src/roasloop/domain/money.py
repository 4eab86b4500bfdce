"""Money as ``Decimal`` in major units, quantized to cents; conversions at the edges.

Never float arithmetic: parse user input with :func:`parse_money`, split with
:func:`split_equally`, convert to platform units with the ``to_*`` helpers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
#: The largest amount roasloop takes (a billion in major units): beyond any real daily
#: budget, and well inside every platform's integer micros.
MAX_AMOUNT = Decimal(1_000_000_000)
MICROS_PER_UNIT = 1_000_000
MINOR_PER_UNIT = 100


def quantize(amount: Decimal) -> Decimal:
    """Round half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value: object) -> Decimal:
    """Turn user input (int, str, Decimal or float) into cents; raise ``ValueError`` if not money.

    The error's text is a message key of :mod:`roasloop.i18n.checks` (``check_amount_…``).

    Floats go through ``repr`` so ``100.1`` becomes ``Decimal('100.10')``, not its binary
    expansion. Negative, NaN, infinite and amounts above :data:`MAX_AMOUNT` are refused.
    """
    if isinstance(value, bool):
        raise ValueError("check_not_an_amount")
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("check_not_an_amount") from exc
    if not amount.is_finite():
        raise ValueError("check_amount_finite")
    if amount < 0:
        raise ValueError("check_amount_negative")
    if amount > MAX_AMOUNT:
        raise ValueError("check_amount_too_large")
    return quantize(amount)


def split_equally(total: Decimal, parts: int) -> list[Decimal]:
    """Split ``total`` into ``parts`` amounts that differ by at most one cent and sum to it.

    The leftover cents go to the first parts, so the split is deterministic.
    """
    if parts <= 0:
        raise ValueError("parts must be positive")
    cents = to_minor_units(total)
    base, remainder = divmod(cents, parts)
    return [from_minor_units(base + (1 if i < remainder else 0)) for i in range(parts)]


def to_minor_units(amount: Decimal) -> int:
    """Major units to integer cents (Meta budgets)."""
    return int(quantize(amount) * MINOR_PER_UNIT)


def from_minor_units(minor: int) -> Decimal:
    return quantize(Decimal(minor) / MINOR_PER_UNIT)


def to_micros(amount: Decimal) -> int:
    """Major units to integer micros (Google Ads money)."""
    return int(quantize(amount) * MICROS_PER_UNIT)


def from_micros(micros: int) -> Decimal:
    return quantize(Decimal(micros) / MICROS_PER_UNIT)


def scale(amount: Decimal, factor: Decimal) -> Decimal:
    """``amount × factor`` rounded to cents."""
    return quantize(amount * factor)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator`` or ``None`` when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator / denominator
