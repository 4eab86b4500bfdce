"""Rows → per-variant × per-stratum arrays: the sufficient statistics every method reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from roasloop.translations import N_

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FIELDS = ("impressions", "clicks", "conversions", "spend", "revenue")


class Row(Protocol):
    """What a daily row provides (``VariantDaily`` in :mod:`roasloop.stats.analysis`)."""

    @property
    def variant_id(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def stratum(self) -> str: ...
    @property
    def impressions(self) -> int: ...
    @property
    def clicks(self) -> int: ...
    @property
    def conversions(self) -> int: ...
    @property
    def spend(self) -> Decimal: ...
    @property
    def revenue(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """How a primary metric is built from the row fields."""

    name: str
    kind: Literal["binomial", "ratio"]
    numerator: str
    denominator: str
    higher_is_better: bool
    unit: str
    label: str  # the metric's name, a msgid of the gettext catalogs


METRICS: dict[str, MetricSpec] = {
    "cvr": MetricSpec("cvr", "binomial", "conversions", "clicks", True, "clicks", N_("CVR")),
    "conversions_per_impression": MetricSpec(
        "conversions_per_impression",
        "binomial",
        "conversions",
        "impressions",
        True,
        "impressions",
        N_("conversions per impression"),
    ),
    "ctr": MetricSpec("ctr", "binomial", "clicks", "impressions", True, "impressions", N_("CTR")),
    "roas": MetricSpec("roas", "ratio", "revenue", "spend", True, "clusters", N_("ROAS")),
    "cpa": MetricSpec("cpa", "ratio", "spend", "conversions", False, "clusters", N_("CPA")),
}


@dataclass(frozen=True, slots=True)
class TestData:
    """Per-variant (rows) × per-stratum (columns) sums, in the design's variant order."""

    variant_ids: tuple[str, ...]
    cells: dict[str, FloatArray]
    present: BoolArray
    strata: tuple[tuple[date, str], ...]
    spend: tuple[Decimal, ...]
    revenue: tuple[Decimal, ...]
    unknown_variants: tuple[str, ...]

    def totals(self, field: str) -> FloatArray:
        return np.asarray(self.cells[field].sum(axis=1), dtype=np.float64)

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted({day for day, _ in self.strata}))

    def recent_mask(self, window_days: int) -> tuple[BoolArray, int]:
        """Strata within the last ``window_days`` calendar days, and the window's length."""
        days = self.days
        span = min(window_days, (days[-1] - days[0]).days + 1)
        start = days[-1] - timedelta(days=span - 1)
        return np.array([day >= start for day, _ in self.strata], dtype=np.bool_), span


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _row_error(row: Row) -> str | None:
    if not (_is_count(row.impressions) and _is_count(row.clicks) and _is_count(row.conversions)):
        return f"variant {row.variant_id!r} on {row.day}: counts must be non-negative integers"
    if row.spend < 0 or row.revenue < 0:
        return f"variant {row.variant_id!r} on {row.day}: money must be non-negative"
    return None


def aggregate(rows: Sequence[Row], variant_ids: tuple[str, ...]) -> TestData | str:
    """Sum rows per (variant, day, stratum); an error string for invalid rows."""
    index = {vid: i for i, vid in enumerate(variant_ids)}
    columns: dict[tuple[date, str], int] = {}
    entries: list[tuple[int, int, Row]] = []
    unknown: set[str] = set()
    for row in rows:
        error = _row_error(row)
        if error:
            return error
        arm = index.get(row.variant_id)
        if arm is None:
            unknown.add(row.variant_id)
            continue
        entries.append((arm, columns.setdefault((row.day, row.stratum), len(columns)), row))
    if not entries:
        return "no data rows for the test's variants"
    return _build(variant_ids, columns, entries, tuple(sorted(unknown)))


def _build(
    variant_ids: tuple[str, ...],
    columns: dict[tuple[date, str], int],
    entries: list[tuple[int, int, Row]],
    unknown: tuple[str, ...],
) -> TestData:
    k, width = len(variant_ids), len(columns)
    flat = np.fromiter((arm * width + col for arm, col, _ in entries), np.int64, len(entries))
    rows = [row for _, _, row in entries]

    def cell(values: list[float]) -> FloatArray:
        summed = np.bincount(flat, weights=np.asarray(values, np.float64), minlength=k * width)
        return np.asarray(summed.reshape(k, width), dtype=np.float64)

    cells = {field: cell([float(getattr(r, field)) for r in rows]) for field in FIELDS}
    present = np.bincount(flat, minlength=k * width).reshape(k, width) > 0
    spend, revenue = [Decimal(0)] * k, [Decimal(0)] * k
    for arm, _, row in entries:
        spend[arm] += row.spend
        revenue[arm] += row.revenue
    return TestData(
        variant_ids, cells, present, tuple(columns), tuple(spend), tuple(revenue), unknown
    )
