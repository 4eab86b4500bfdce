"""Speed of one analysis of a 4-variant × 60-day test (target ≤ 20 ms), per method.

    .venv/bin/python -m benchmarks.ab_speed

Machine speed varies, so each figure is also reported as a ratio to two baselines measured in
the same process: one ``scipy.stats.chi2_contingency`` call on the pooled 4×2 table (what the
seed computes), and a naive Python loop summing the 240 rows per variant (the least any
analysis of these rows must do).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np
from scipy.stats import chi2_contingency

from benchmarks.ab_common import Traffic, design_for, simulate_rows
from roasloop.stats.analysis import METHODS, VariantDaily, analyze

TARGET_MS = 20.0


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm caches (quadrature nodes, imports)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def _naive_sums(rows: list[VariantDaily]) -> dict[str, list[float]]:
    sums: dict[str, list[float]] = {}
    for r in rows:
        acc = sums.setdefault(r.variant_id, [0.0] * 5)
        acc[0] += r.impressions
        acc[1] += r.clicks
        acc[2] += r.conversions
        acc[3] += float(r.spend)
        acc[4] += float(r.revenue)
    return sums


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab_speed")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    rows = simulate_rows(np.random.default_rng(1), Traffic(), [0.0, 0.1, 0.0, -0.05], 60)
    sums = _naive_sums(rows)
    table = np.array([[s[2], s[1] - s[2]] for s in sums.values()])
    scipy_ms = _median_ms(lambda: chi2_contingency(table, correction=False), args.repeats)
    loop_ms = _median_ms(lambda: _naive_sums(rows), args.repeats)
    print(f"## Speed: 4 variants x 60 days ({len(rows)} rows), median of {args.repeats} runs")
    print(f"baselines: chi2_contingency {scipy_ms:.3f} ms, naive row loop {loop_ms:.3f} ms\n")
    print("| primary metric | method | ms | ≤ 20 ms | × chi2_contingency | × row loop |")
    print("|---|---|---|---|---|---|")
    for metric in ("cvr", "roas"):
        design = design_for(4, metric)
        for method in METHODS:
            ms = _median_ms(partial(analyze, rows, design, method), args.repeats)
            print(
                f"| {metric} | {method} | {ms:.2f} | {'yes' if ms <= TARGET_MS else 'NO'} "
                f"| {ms / scipy_ms:.0f} | {ms / loop_ms:.1f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
