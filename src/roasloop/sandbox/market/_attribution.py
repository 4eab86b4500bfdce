"""What the platform reports: captured, delayed, sometimes duplicated conversions.

Every true order is credited to its interaction day (§7 credit_date) and, independently,
  1. happens ``lag`` days later (§7 delay_pmf),
  2. is seen by tracking with the capture rate of the day it happens (outages, §8 family 8),
  3. is reported ``duplication`` times on average when a dedup bug is live, plus a view-through
     double count with probability ``view_through`` (§7 view_through_share),
  4. reaches the report after a processing lag (§7 report_lag_pmf).
The report for a day therefore grows as ``as_of`` advances and stops after
``len(delay_pmf) + len(report_lag_pmf) − 2`` days.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roasloop.sandbox.market._params import AccountParams

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


def reports(
    params: AccountParams,
    day_index: int,
    values: IntArray,
    owners: IntArray,
    ads: int,
    rng: np.random.Generator,
) -> tuple[list[list[int]], list[list[int]], int]:
    """Per ad: reported conversions and revenue (cents) by visibility lag; and the number of
    captured events the platform's optimiser received (its learning signal)."""
    width = params.visible_lags
    if values.size == 0:
        return [[0] * width for _ in range(ads)], [[0] * width for _ in range(ads)], 0
    capture, duplication, view_through = params.tracking_schedule(day_index)
    uniform = rng.random((5, values.size))
    lag = np.searchsorted(params.delay_cdf, uniform[0], side="right")
    captured = uniform[1] < capture[lag]
    reported = captured.astype(np.int64)
    if duplication is not None:
        mean = duplication[lag]
        whole = np.floor(mean)
        reported *= (whole + (uniform[2] < mean - whole)).astype(np.int64)
    if view_through > 0:
        reported += captured & (uniform[3] < view_through)
    visible = lag + np.searchsorted(params.report_cdf, uniform[4], side="right")
    slot = owners * width + visible
    counts = np.bincount(slot, weights=reported, minlength=ads * width)
    revenue = np.bincount(slot, weights=reported * values, minlength=ads * width)
    return _rows(counts, ads, width), _rows(revenue, ads, width), int(captured.sum())


def _rows(flat: np.ndarray[Any, Any], ads: int, width: int) -> list[list[int]]:
    rows: list[list[int]] = np.rint(flat).astype(np.int64).reshape(ads, width).tolist()
    return rows
