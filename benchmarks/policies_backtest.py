"""Budget policies on the built-in scenario suite: issue 4 §5's target checks.

    .venv/bin/python -m benchmarks.policies_backtest                  # 20 seeds, 30 days
    .venv/bin/python -m benchmarks.policies_backtest --seeds 4 --out /tmp/bt
    .venv/bin/python -m benchmarks.policies_backtest --first-seed 20 --seeds 40 --no-variants

Runs threshold, tiered, roasloop, roasloop+store-orders, static and oracle on the
eight §8 families (identical market streams per scenario and seed). Every policy gets the
inputs production has by default: the platform's reports, the learning status the platform's
own field reports (none on TikTok), and no store revenue; roasloop+store-orders is roasloop
with a shop connected, reported beside it. Prints the per-family and overall tables, the §5
checks for roasloop (the headline) and for roasloop+store-orders, roasloop against the better
seed policy per family (paired by seed, with 95 % confidence intervals), then variants of
roasloop: its other two pause stances (patient, decisive: the profit / false-pause
trade-off) and its step cap at 20 % and at 50 % on every platform (learning resets are the
cost of big steps). Writes results.csv, summary.csv and gain_share.svg to --out.
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from roasloop.backtest import chart, engine, metrics, output, suite
from roasloop.backtest.engine import RunSettings
from roasloop.backtest.oracle import Oracle
from roasloop.backtest.policies import NAMES, WITH_STORE_ORDERS

console = Console(width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.policies_backtest")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds first … first + seeds − 1 (tuning sets)"
    )
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("roasloop-backtest"))
    parser.add_argument("--no-variants", action="store_true", help="skip the roasloop variants")
    args = parser.parse_args(argv)
    scenarios = suite.load_scenarios()
    started = time.perf_counter()
    settings = RunSettings(days=args.days)
    rows = _run(suite.jobs(scenarios, args.seeds, NAMES, settings, args.first_seed), args.workers)
    summaries = metrics.summarise(rows)
    for table in output.tables(summaries):
        console.print(table)
    for policy in ("roasloop", WITH_STORE_ORDERS):
        console.print(f"\n{policy}: {variant_line(summaries, policy)}")
        for check in metrics.target_checks(summaries, policy):
            mark = "MET    " if check.met else "NOT MET"
            console.print(f"{mark}  {check.target()}: {check.details()}")
    args.out.mkdir(parents=True, exist_ok=True)
    output.write_results(rows, args.out / "results.csv")
    output.write_summary(summaries, args.out / "summary.csv")
    (args.out / "gain_share.svg").write_text(chart.gain_share_svg(summaries), encoding="utf-8")
    console.print(f"suite: {len(rows)} runs in {time.perf_counter() - started:.0f} s")
    console.print(output.paired_table(metrics.paired_gaps(rows)))
    if not args.no_variants:
        _variants(scenarios, args, rows)
        _late_oracles(scenarios, args, rows)
    return 0


def _run(todo: list[suite.Job], workers: int) -> list[metrics.RunMetrics]:
    return [r.metrics for r in suite.run_all(todo, workers=workers)]


def _variants(
    scenarios: list[suite.Scenario], args: argparse.Namespace, base: list[metrics.RunMetrics]
) -> None:
    """roasloop's other pause stances and its step cap forced to 20 % / 50 % (production
    inputs): each against the same seed-policy, static and oracle runs."""
    reference = [r for r in base if r.policy not in ("roasloop", WITH_STORE_ORDERS)]
    variants = {
        "pause stance patient": RunSettings(days=args.days, pause_stance="patient"),
        "pause stance decisive": RunSettings(days=args.days, pause_stance="decisive"),
        "cap 20%": RunSettings(days=args.days, step_cap=Decimal("0.20")),
        "cap 50%": RunSettings(days=args.days, step_cap=Decimal("0.50")),
    }
    console.print(
        "\nroasloop variants: overall gain share (points over the better seed policy), "
        "profit/run, false pauses, families behind the better seed policy, learning resets:"
    )
    for label, settings in variants.items():
        rows = _run(
            suite.jobs(scenarios, args.seeds, ["roasloop"], settings, args.first_seed), args.workers
        )
        summaries = metrics.summarise(reference + rows)
        console.print(f"  {label:22s} {variant_line(summaries)}")


def variant_line(summaries: list[metrics.Summary], policy: str = "roasloop") -> str:
    ours = next(s for s in summaries if s.family == metrics.OVERALL and s.policy == policy)
    share = ours.gain_share or 0.0
    points = share - (metrics.better_seed(summaries).gain_share or 0.0)
    short = [family for family, _, _ in metrics.behind(summaries, policy)]
    families = sum(1 for s in summaries if s.policy == policy) - 1
    return (
        f"{share:6.1%} ({100 * points:+.1f})  {ours.profit:7,.0f}  "
        f"{ours.false_pauses}/{ours.pauses} = {ours.false_pause_rate or 0.0:.1%}  "
        f"resets {ours.learning_resets}  behind in {len(short)}/{families}: "
        f"{', '.join(short) or '—'}"
    )


def _late_oracle(job: tuple[suite.Scenario, int, int, int]) -> metrics.RunMetrics:
    scenario, seed, delay, days = job
    oracle = Oracle(name=f"oracle from day {delay}", delay_days=delay)
    return engine.run(scenario, seed, oracle, RunSettings(days=days)).metrics


def _late_oracles(
    scenarios: list[suite.Scenario], args: argparse.Namespace, base: list[metrics.RunMetrics]
) -> None:
    """How much of the gain perfect knowledge captures when it only arrives on day k."""
    from concurrent.futures import ProcessPoolExecutor

    todo = [
        (s, seed, k, args.days)
        for k in (2, 4, 7)
        for s in scenarios
        for seed in suite.seed_range(args.seeds, args.first_seed)
    ]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(_late_oracle, todo, chunksize=4))
    reference = [r for r in base if r.policy in ("static", "oracle")]
    summaries = metrics.summarise(reference + rows)
    console.print("\nthe oracle's knowledge arriving late (overall gain share):")
    for s in summaries:
        if s.family == metrics.OVERALL and s.policy.startswith("oracle from"):
            console.print(f"  {s.policy:20s} {s.gain_share:.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
