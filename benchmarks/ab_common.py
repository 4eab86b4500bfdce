"""Seeded daily ad data for the A/B benchmarks (a small generative model, not the sandbox).

Per variant and day: impressions ~ Poisson, clicks ~ Binomial(impressions, CTR), conversions ~
Binomial(clicks, CVR · day factor), revenue = sum of Gamma(2, AOV/2) order values, spend =
clicks × CPC with CPC ~ Gamma around its mean. The day factor ``exp(N(0, day_sd))`` is shared
by all variants (weekday and seasonality effects), so a relative lift is the same every day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from scipy.stats import chi2_contingency

from roasloop.stats.analysis import AnalysisResult, TestDesign, VariantDaily, analyze

START = date(2025, 3, 3)
VARIANT_IDS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Traffic:
    """Delivery of one variant: defaults are a mid-size TikTok test (3,000 clicks/day, 2 % CVR)."""

    clicks_per_day: float = 3000.0
    ctr: float = 0.012
    cvr: float = 0.02
    aov: float = 50.0
    cpc: float = 0.5
    day_sd: float = 0.1

    @property
    def roas(self) -> float:
        """True ROAS of a variant with this traffic (the ratio of expectations)."""
        return self.cvr * self.aov / self.cpc


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def simulate_rows(
    rng: np.random.Generator, traffic: Traffic, lifts: Sequence[float], days: int
) -> list[VariantDaily]:
    """Daily rows (day-major order) for ``len(lifts)`` variants; lift i multiplies CVR."""
    rows = []
    for d in range(days):
        factor = float(np.exp(rng.normal(0.0, traffic.day_sd))) if traffic.day_sd else 1.0
        for vid, lift in zip(VARIANT_IDS, lifts, strict=False):
            imps = int(rng.poisson(traffic.clicks_per_day / traffic.ctr))
            clicks = int(rng.binomial(imps, traffic.ctr))
            p = min(1.0, traffic.cvr * (1.0 + lift) * factor)
            conv = int(rng.binomial(clicks, p))
            revenue = float(rng.gamma(2.0 * conv, traffic.aov / 2.0)) if conv else 0.0
            spend = clicks * traffic.cpc * float(rng.gamma(50.0, 1.0 / 50.0))
            day = START + timedelta(days=d)
            rows.append(
                VariantDaily(
                    vid, day, "adset-1", imps, clicks, conv, _money(spend), _money(revenue)
                )
            )
    return rows


def design_for(k: int, metric: str = "cvr") -> TestDesign:
    """A randomized split test of ``k`` creatives with an equal designed split."""
    return TestDesign(VARIANT_IDS[:k], metric, (1.0 / k,) * k, True)


def peek(
    rows: list[VariantDaily], design: TestDesign, method: str, days: int
) -> tuple[int | None, str | None, int | None]:
    """Analyze after every day; (first winner day, winner id, first no-difference day)."""
    k = len(design.variant_ids)
    no_diff: int | None = None
    for day in range(1, days + 1):
        result: AnalysisResult = analyze(rows[: day * k], design, method)
        if result.verdict == "winner":
            return day, result.winner, no_diff
        if result.verdict == "no_difference" and no_diff is None:
            no_diff = day
    return None, None, no_diff


def seed_as_written(rows: list[VariantDaily], k: int) -> str | None:
    """The seed's ``analyze_ab_test`` verbatim: ≥ 100 conversions each, then
    ``chi2_contingency([[conv, impressions − conv], ...])`` (scipy's default Yates correction on
    2×2) and, if p < 0.05, the variant with the highest conversion rate wins."""
    totals = {vid: [0, 0, 0] for vid in VARIANT_IDS[:k]}
    for r in rows:
        acc = totals[r.variant_id]
        acc[0] += r.impressions
        acc[1] += r.clicks
        acc[2] += r.conversions
    if any(conv < 100 for _, _, conv in totals.values()):
        return None
    table = [[conv, imps - conv] for imps, _, conv in totals.values()]
    if chi2_contingency(table).pvalue >= 0.05:
        return None
    return max(totals, key=lambda vid: totals[vid][2] / totals[vid][1])


def peek_seed(rows: list[VariantDaily], k: int, days: int) -> tuple[int | None, str | None]:
    """The seed's rule after every day: (first winner day, winner id)."""
    for day in range(1, days + 1):
        winner = seed_as_written(rows[: day * k], k)
        if winner is not None:
            return day, winner
    return None, None


def seeds(scenario: int, count: int) -> list[np.random.SeedSequence]:
    """Independent, reproducible seeds per simulated test."""
    return np.random.SeedSequence([2025, scenario]).spawn(count)
