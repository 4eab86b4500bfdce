"""Performance totals and the ratios every layer derives from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from roasloop.domain.money import ratio

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class MetricTotals:
    """Additive counts for any set of ad-days; ratios are derived, never stored."""

    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    spend: Decimal = Decimal("0")
    revenue: Decimal = Decimal("0")

    def __add__(self, other: MetricTotals) -> MetricTotals:
        return MetricTotals(
            impressions=self.impressions + other.impressions,
            clicks=self.clicks + other.clicks,
            conversions=self.conversions + other.conversions,
            spend=self.spend + other.spend,
            revenue=self.revenue + other.revenue,
        )

    @classmethod
    def total(cls, parts: Iterable[MetricTotals]) -> MetricTotals:
        result = cls()
        for part in parts:
            result = result + part
        return result

    @property
    def ctr(self) -> Decimal | None:
        """Clicks per impression."""
        return ratio(Decimal(self.clicks), Decimal(self.impressions))

    @property
    def cvr(self) -> Decimal | None:
        """Conversions per click."""
        return ratio(Decimal(self.conversions), Decimal(self.clicks))

    @property
    def cpa(self) -> Decimal | None:
        """Spend per conversion."""
        return ratio(self.spend, Decimal(self.conversions))

    @property
    def roas(self) -> Decimal | None:
        """Revenue per unit of spend."""
        return ratio(self.revenue, self.spend)

    @property
    def cpc(self) -> Decimal | None:
        return ratio(self.spend, Decimal(self.clicks))

    @property
    def cpm(self) -> Decimal | None:
        value = ratio(self.spend * 1000, Decimal(self.impressions))
        return value

    def as_dict(self) -> dict[str, object]:
        """Plain numbers for the module API edge (money as strings-safe floats rounded)."""
        return {
            "impressions": self.impressions,
            "clicks": self.clicks,
            "conversions": self.conversions,
            "spend": float(self.spend),
            "revenue": float(self.revenue),
            "ctr": _round(self.ctr),
            "cvr": _round(self.cvr),
            "cpa": _round(self.cpa, Decimal("0.01")),
            "roas": _round(self.roas),
            "cpc": _round(self.cpc, Decimal("0.01")),
            "cpm": _round(self.cpm, Decimal("0.01")),
        }


def _round(value: Decimal | None, places: Decimal = FOUR_PLACES) -> float | None:
    return None if value is None else float(value.quantize(places))
