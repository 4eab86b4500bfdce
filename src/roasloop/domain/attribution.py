"""Attribution delay: how much of a day's conversions a platform has reported after ``age`` days.

A platform credits a conversion to the click/impression day and reveals it over the
conversion delay plus its processing lag (market_benchmarks §5, §7 ``delay_pmf_days_7dc``,
``report_lag_pmf``), so the last days of any report under-count. Policies weight each day
by its visible share and ignore days that are mostly unreported.
"""

from __future__ import annotations

from collections.abc import Sequence

# §7 delay_pmf_days_7dc (7-day click + 1-day view, d0..d7).
DELAY_7DC = (0.55, 0.15, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03)
# §7 google_tail_8_30d: 15 % of the mass after day 7 for 30-day click windows.
DELAY_30DC = tuple(p * 0.85 for p in DELAY_7DC) + (0.15 / 23,) * 23


def profile(delay_pmf: Sequence[float], report_lag_pmf: Sequence[float]) -> tuple[float, ...]:
    """Cumulative visible share by age: the CDF of delay + reporting lag (independent)."""
    pmf = [0.0] * (len(delay_pmf) + len(report_lag_pmf) - 1)
    for i, p in enumerate(delay_pmf):
        for j, q in enumerate(report_lag_pmf):
            pmf[i + j] += p * q
    total, cdf = 0.0, []
    for p in pmf:
        total += p
        cdf.append(min(1.0, total))
    cdf[-1] = 1.0
    return tuple(cdf)


def visible_share(maturity: Sequence[float], age: int) -> float:
    """Share of a day's conversions reported ``age`` days after it (1.0 once fully mature)."""
    if age < 0:
        return 0.0
    return maturity[age] if age < len(maturity) else 1.0


#: A typical 7-day-click profile with a 2-day processing lag (§7 report_lag_pmf, TikTok);
#: platforms state their own in their adapter's capabilities.
TYPICAL_VISIBILITY = profile(DELAY_7DC, (0.75, 0.18, 0.07))
