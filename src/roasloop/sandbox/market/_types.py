"""Values the market hands out: per-day metrics and the oracle's view of an ad."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from roasloop.domain.money import from_minor_units, quantize
from roasloop.sandbox.market._day import AdView, GroupView
from roasloop.sandbox.market._state import AdDay

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class AdDayMetrics:
    """One ad's numbers for one day; money in ``Decimal`` cents."""

    impressions: int = 0
    clicks: int = 0
    spend: Decimal = Decimal("0.00")
    conversions: int = 0
    revenue: Decimal = Decimal("0.00")

    @classmethod
    def total(cls, parts: Iterable[AdDayMetrics]) -> AdDayMetrics:
        """The sum of several ads' or days' numbers."""
        impressions = clicks = conversions = 0
        spend = revenue = Decimal(0)
        for part in parts:
            impressions += part.impressions
            clicks += part.clicks
            conversions += part.conversions
            spend += part.spend
            revenue += part.revenue
        return cls(impressions, clicks, spend, conversions, revenue)


@dataclass(frozen=True)
class TrueParameters:
    """The truth about one ad at the start of a day, before saturation pressure and noise.

    ``cpm``/``ctr``/``cvr`` are the expected rates at spend ≤ ``saturation_ref_spend`` with the
    day-of-week, fatigue and learning effects applied; above it, CPA grows as
    (spend/ref)^``saturation_eps``. ``cvr`` already includes ``learning_multiplier`` and
    ``warmup_multiplier``; ``ctr`` includes ``fatigue_multiplier``. ``aov`` is the mean order.
    """

    ad_key: str
    day: date
    cpm: Decimal
    ctr: float
    cvr: float
    aov: Decimal
    fatigue_multiplier: float
    fatigue_cpm_multiplier: float
    learning_multiplier: float
    warmup_multiplier: float
    learning_state: str
    saturation_eps: float
    saturation_ref_spend: Decimal
    capture_rate: float


def as_decimal(value: float) -> Decimal:
    """A float rate as a ``Decimal`` (shortest repr, not its binary expansion)."""
    return Decimal(repr(value))


def delivery_metrics(record: AdDay, conversions: int, revenue_cents: int) -> AdDayMetrics:
    return AdDayMetrics(
        impressions=record.impressions,
        clicks=record.clicks,
        spend=from_minor_units(record.spend),
        conversions=conversions,
        revenue=from_minor_units(revenue_cents),
    )


def true_parameters(view: GroupView, ad: AdView, day: date, capture: float) -> TrueParameters:
    return TrueParameters(
        ad_key=ad.key,
        day=day,
        cpm=as_decimal(ad.cpm).quantize(FOUR_PLACES),
        ctr=ad.ctr,
        cvr=ad.cvr * view.learning_mult,
        aov=quantize(as_decimal(view.aov)),
        fatigue_multiplier=ad.fatigue,
        fatigue_cpm_multiplier=ad.fatigue_cpm,
        learning_multiplier=view.learning_mult,
        warmup_multiplier=ad.warmup,
        learning_state=view.status,
        saturation_eps=ad.eps,
        saturation_ref_spend=quantize(as_decimal(view.ref_spend)),
        capture_rate=capture,
    )
