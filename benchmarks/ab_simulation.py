"""A/A false-positive rate, A/B power and days to a verdict, interval coverage.

Every simulated test is analyzed with :func:`roasloop.stats.analysis.analyze` on its daily rows
after each of ``--days`` days (one look per day, as the scheduler would), for each method.

    .venv/bin/python -m benchmarks.ab_simulation            # all three parts
    .venv/bin/python -m benchmarks.ab_simulation aa --sims 200

Parts: ``aa`` (null true, 2–4 variants: share of tests in which a winner is ever declared),
``ab`` (one variant +20 % CVR: power = share of tests whose first winner is the right variant
by the last day, median days to it), ``coverage`` (share of 95 % intervals containing the truth).
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from benchmarks.ab_common import Traffic, design_for, peek, peek_seed, seeds, simulate_rows
from roasloop.stats.analysis import METHODS, analyze

LIFT = 0.20
SEED = "seed as written"
COLUMNS = (*METHODS, SEED)
PARTS = ("aa", "ab", "coverage")


def _aa_one(args: tuple[int, np.random.SeedSequence, int]) -> dict[str, bool]:
    k, seed, days = args
    rows = simulate_rows(np.random.default_rng(seed), Traffic(), [0.0] * k, days)
    design = design_for(k)
    out = {m: peek(rows, design, m, days)[0] is not None for m in METHODS}
    out[SEED] = peek_seed(rows, k, days)[0] is not None
    return out


def _ab_one(
    args: tuple[int, np.random.SeedSequence, int, float],
) -> dict[str, tuple[int | None, str | None]]:
    k, seed, days, clicks = args
    lifts = [0.0] * k
    lifts[1] = LIFT
    traffic = Traffic(clicks_per_day=clicks)
    rows = simulate_rows(np.random.default_rng(seed), traffic, lifts, days)
    design = design_for(k)
    out = {}
    for method in METHODS:
        day, winner, _ = peek(rows, design, method, days)
        out[method] = (day, winner)
    out[SEED] = peek_seed(rows, k, days)
    return out


def _covers(lower: float | None, upper: float | None, truth: float) -> bool:
    return lower is not None and upper is not None and lower <= truth <= upper


def _coverage_one(args: tuple[np.random.SeedSequence, int]) -> dict[str, bool]:
    seed, days = args
    traffic = replace(Traffic(), day_sd=0.0)
    rows = simulate_rows(np.random.default_rng(seed), traffic, [0.0, LIFT], days)
    out: dict[str, bool] = {}
    for method in METHODS:
        comp = analyze(rows, design_for(2), method).comparisons[0]
        out[f"CVR lift, {method}"] = _covers(comp.lift_lower, comp.lift_upper, LIFT)
    fixed = analyze(rows, design_for(2), "chi_square")
    control = fixed.variants[0]
    out["CVR of one arm (Wilson)"] = _covers(control.cvr.lower, control.cvr.upper, traffic.cvr)
    out["ROAS of one arm (delta, t)"] = _covers(
        control.roas.lower, control.roas.upper, traffic.roas
    )
    roas = analyze(rows, design_for(2, "roas"), "chi_square").comparisons[0]
    out["ROAS lift (delta, t)"] = _covers(roas.lift_lower, roas.lift_upper, LIFT)
    return out


def _simultaneous_one(args: tuple[np.random.SeedSequence, int]) -> bool:
    """Does the confidence sequence contain the true lift at every daily look?"""
    seed, days = args
    rows = simulate_rows(np.random.default_rng(seed), Traffic(), [0.0, LIFT], days)
    design = design_for(2)
    for day in range(1, days + 1):
        comp = analyze(rows[: day * 2], design, "sequential").comparisons[0]
        if comp.error is None and not _covers(comp.lift_lower, comp.lift_upper, LIFT):
            return False
    return True


def run_aa(pool: ProcessPoolExecutor, sims: int, days: int) -> None:
    print(f"\n## A/A: false-positive rate, {days} daily looks, {sims} tests per row")
    print("| variants | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for k in (2, 3, 4):
        jobs = [(k, s, days) for s in seeds(k, sims)]
        results = list(pool.map(_aa_one, jobs, chunksize=8))
        rates = [sum(r[m] for r in results) / sims for m in COLUMNS]
        print(f"| {k} | " + " | ".join(f"{100 * x:.1f}%" for x in rates) + " |")


def run_ab(pool: ProcessPoolExecutor, sims: int, days: int) -> None:
    print(f"\n## A/B: one variant +{LIFT:.0%} CVR, {days} daily looks, {sims} tests per row")
    print("| clicks/day/variant | variants | method | power | wrong winner | median days |")
    print("|---|---|---|---|---|---|")
    for scenario, (clicks, k) in enumerate(((3000.0, 2), (3000.0, 4), (600.0, 2)), start=10):
        jobs = [(k, s, days, clicks) for s in seeds(scenario, sims)]
        results = list(pool.map(_ab_one, jobs, chunksize=8))
        for method in COLUMNS:
            right = [r[method][0] for r in results if r[method][1] == "B"]
            wrong = sum(1 for r in results if r[method][1] not in (None, "B"))
            median = statistics.median(d for d in right if d is not None) if right else None
            print(
                f"| {clicks:.0f} | {k} | {method} | {100 * len(right) / sims:.1f}% "
                f"| {100 * wrong / sims:.1f}% | {median} |"
            )


def run_coverage(pool: ProcessPoolExecutor, sims: int, days: int) -> None:
    print(f"\n## Coverage of 95% intervals after {days} days, {sims} tests (target 94-96%)")
    results = list(pool.map(_coverage_one, [(s, days) for s in seeds(20, sims)], chunksize=16))
    print("| interval | coverage |")
    print("|---|---|")
    for key in results[0]:
        share = sum(r[key] for r in results) / sims
        print(f"| {key} | {100 * share:.1f}% |")
    simultaneous_sims = max(1, sims // 8)
    jobs = [(s, 30) for s in seeds(21, simultaneous_sims)]
    simultaneous = list(pool.map(_simultaneous_one, jobs, chunksize=8))
    share = sum(simultaneous) / simultaneous_sims
    print(
        f"| CVR lift, sequential, at all 30 daily looks at once ({simultaneous_sims} tests) "
        f"| {100 * share:.1f}% (≥ 95% by design) |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab_simulation")
    parser.add_argument("parts", nargs="*", default=list(PARTS), help=" ".join(PARTS))
    parser.add_argument("--sims", type=int, default=300, help="simulated tests per row")
    parser.add_argument("--coverage-sims", type=int, default=4000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {PARTS}")
    parts = {
        "aa": lambda pool: run_aa(pool, args.sims, args.days),
        "ab": lambda pool: run_ab(pool, args.sims, args.days),
        "coverage": lambda pool: run_coverage(pool, args.coverage_sims, 14),
    }
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for name in args.parts:
            start = time.perf_counter()
            parts[name](pool)
            print(f"\n({name}: {time.perf_counter() - start:.0f} s; seeded, reruns print the same)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
