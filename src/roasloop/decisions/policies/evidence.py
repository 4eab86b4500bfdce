"""An ad set's reported history turned into matured, time-weighted evidence.

Statistics are floats (rates and weights, not money). A day counts only once at least
``min_visible`` of its conversions are expected to be reported (the attribution lag), and then
with its visible share as exposure, so a half-reported day is half a day of evidence
(Chapelle 2014's delayed-feedback correction). Older days fade with a half-life, because
creatives fatigue and audiences move.

Delivery (impressions, clicks, spend) is reported in full at the end of the day; only
conversions lag. So a day's dollars are re-expressed in the ad set's *current* clicks per
dollar (:func:`clicks_per_dollar`): a day's exposure is its clicks ÷ the clicks a dollar buys
now. A creative whose CTR has halved since (fatigue) counts its old days as twice the dollars
they were, so its rate per dollar falls the evening its clicks do, and what the posterior
learns is conversions per click — the part of the funnel the reports leave uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roasloop.decisions.snapshot import AdSetSnapshot
from roasloop.domain.attribution import visible_share


@dataclass(frozen=True, slots=True)
class Day:
    """One matured day: spend, reported conversions and revenue, the share of its conversions
    expected in the report (visible share × the learning-phase discount), time weight."""

    spend: float
    clicks: float
    conversions: float
    revenue: float
    visible: float
    weight: float
    offset: int  # days after the report day (0 = the report day, −1 the day before …)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one ad set's reports say, ready for the posterior."""

    days: tuple[Day, ...]
    spend_since_conversion: float
    clicks_per_dollar: float | None = None  # now; None: exposure in plain dollars

    @property
    def conversions(self) -> float:
        return sum(d.weight * d.conversions for d in self.days)

    @property
    def revenue(self) -> float:
        return sum(d.weight * d.revenue for d in self.days)

    @property
    def exposure(self) -> float:
        """Time-weighted spend whose conversions have been reported (visible dollars, each
        day's dollars counted at today's clicks per dollar)."""
        return sum(d.weight * self.dollars(d) for d in self.days)

    def dollars(self, day: Day) -> float:
        """``day``'s visible exposure in today's dollars (see the module doc)."""
        if self.clicks_per_dollar is None:
            return day.visible * day.spend
        return day.visible * day.clicks / self.clicks_per_dollar

    @property
    def matured_days(self) -> int:
        return sum(1 for d in self.days if d.spend > 0)


def gather(
    snapshot: AdSetSnapshot,
    as_of: date,
    maturity: tuple[float, ...],
    *,
    window_days: int,
    half_life_days: float,
    min_visible: float,
    skip: frozenset[date] = frozenset(),
    learning_until: date | None = None,
    learning_discount: float = 1.0,
    click_half_life: float = 0.0,
) -> Evidence:
    """The matured days of the last ``window_days`` of ``snapshot`` (see the module doc);
    days in ``skip`` (tracking anomalies) are left out, and days before ``learning_until``
    are expected to convert at ``learning_discount`` of the steady rate (learning CPA runs
    20–50 % high, market_benchmarks §3), so the evidence speaks of the steady state. With
    ``click_half_life`` > 0, exposure is counted in clicks at the current clicks per dollar
    (:func:`clicks_per_dollar`)."""
    days = []
    for point in snapshot.history[-window_days:]:
        age = (as_of - point.day).days
        if point.day in skip:
            continue
        visible = visible_share(maturity, age)
        if visible < min_visible or point.metrics.spend <= 0:
            continue
        days.append(
            Day(
                spend=float(point.metrics.spend),
                clicks=float(point.metrics.clicks),
                conversions=float(point.metrics.conversions),
                revenue=float(point.metrics.revenue),
                visible=visible * (learning_discount if _before(point.day, learning_until) else 1),
                weight=0.5 ** (age / half_life_days),
                offset=-age,
            )
        )
    spell = _spend_since_conversion(snapshot, as_of, maturity, skip)
    clicks = clicks_per_dollar(snapshot, click_half_life, skip) if click_half_life > 0 else None
    return Evidence(tuple(days), spell, clicks)


def clicks_per_dollar(
    snapshot: AdSetSnapshot, half_life: float, skip: frozenset[date] = frozenset(), days: int = 7
) -> float | None:
    """Clicks per dollar now: the last ``days`` days with spend (the report day included —
    delivery is reported in full), faded with ``half_life`` days, as a ratio of sums; ``None``
    without clicks (exposure then stays in dollars)."""
    spent = [p for p in snapshot.history if p.metrics.spend > 0 and p.day not in skip]
    if not spent:
        return None
    last = spent[-1].day
    recent = [(float(0.5 ** ((last - p.day).days / half_life)), p.metrics) for p in spent[-days:]]
    clicks = sum(w * float(m.clicks) for w, m in recent)
    spend = sum(w * float(m.spend) for w, m in recent)
    if clicks <= 0 or spend <= 0:
        return None
    return clicks / spend


def _before(day: date, limit: date | None) -> bool:
    return limit is not None and day < limit


def _spend_since_conversion(
    snapshot: AdSetSnapshot, as_of: date, maturity: tuple[float, ...], skip: frozenset[date]
) -> float:
    """Spend since the last reported conversion, each day counted by its visible share."""
    total = 0.0
    for point in reversed(snapshot.history):
        if point.day in skip:
            continue
        if point.metrics.conversions:
            break
        age = (as_of - point.day).days
        total += float(point.metrics.spend) * visible_share(maturity, age)
    return total
