"""Why roasloop stays behind the seed policies in two families, and what it says instead.

    .venv/bin/python -m benchmarks.pause_frontier                  # seeds 0-19, 30 days
    .venv/bin/python -m benchmarks.pause_frontier --first-seed 60 --seeds 40

In "all mediocre" and "fatigue heavy" every ad set ends below break-even, and the seed policies
earn more than roasloop because they pause on the first, barely reported days: tiered
pauses whatever shows a 7-day ROAS under 0.7 × target, and on the first mornings that window
holds one or two days whose conversions are mostly still to come. Two probes measure what
matching them costs:

1. **First-report cut, k days**: roasloop, plus tiered's pauses on the first k mornings.
   It shows the price of the seed policies' profit in those families — the false pauses and
   the gain lost in every family whose ad sets look just as bad on their first reports.
2. **Campaign below break-even**: for roasloop's own runs, how often and how early its
   campaign-level finding (``finding_campaign_below_break_even``) fires per family, and
   whether the campaign's true ROAS over the following week was below break-even then.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date

from rich.console import Console
from rich.table import Table

from benchmarks.policies_backtest import variant_line
from roasloop.backtest import engine, metrics, suite
from roasloop.backtest.engine import Bench, Move, RunSettings
from roasloop.backtest.policies import NAMES, WITH_STORE_ORDERS, ReportPolicy, moves
from roasloop.decisions.policies.campaign_health import FINDING

console = Console(width=120)


@dataclass(frozen=True, slots=True)
class FirstReportCut:
    """roasloop, plus tiered's pauses on the first ``days`` mornings."""

    days: int

    @property
    def name(self) -> str:
        last = self.days + 1
        return f"roasloop + tiered pauses on day{f's 2-{last}' if last > 2 else ' 2'}"

    def morning(self, bench: Bench, day: date) -> list[Move]:
        ours = ReportPolicy("roasloop").morning(bench, day)
        if (day - bench.settings.start).days > self.days:
            return ours
        cuts = [m for m in ReportPolicy("tiered").morning(bench, day) if m.budget is None]
        cut = {m.group for m in cuts}
        return cuts + [m for m in ours if m.group not in cut]


@dataclass
class AlertWatch:
    """roasloop, noting the mornings its campaign finding appears."""

    name: str = "roasloop"
    first: date | None = None
    truly_below: bool | None = None
    seen: list[date] = field(default_factory=list)

    def morning(self, bench: Bench, day: date) -> list[Move]:
        evaluation = ReportPolicy("roasloop").evaluate(bench, day)
        if any(key == FINDING for key, _ in evaluation.findings):
            self.seen.append(day)
            if self.first is None:
                self.first = day
                active = [g for g in bench.campaign.groups if bench.active[g]]
                self.truly_below = not engine.was_profitable(bench, active, day)
        return moves(evaluation)


@dataclass(frozen=True, slots=True)
class Watched:
    metrics: metrics.RunMetrics
    first_alert_day: int | None  # days after launch
    truly_below: bool | None
    alert_days: int


def _cut_job(job: tuple[suite.Scenario, int, int, int]) -> metrics.RunMetrics:
    scenario, seed, days, horizon = job
    return engine.run(scenario, seed, FirstReportCut(days), RunSettings(days=horizon)).metrics


def _watch_job(job: tuple[suite.Scenario, int, int]) -> Watched:
    scenario, seed, horizon = job
    settings = RunSettings(days=horizon)
    watch = AlertWatch()
    result = engine.run(scenario, seed, watch, settings).metrics
    offset = None if watch.first is None else (watch.first - settings.start).days
    return Watched(result, offset, watch.truly_below, len(watch.seen))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.pause_frontier")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    scenarios = suite.load_scenarios()
    seeds = suite.seed_range(args.seeds, args.first_seed)
    others = [p for p in NAMES if p not in ("roasloop", WITH_STORE_ORDERS)]
    settings = RunSettings(days=args.days)
    todo = suite.jobs(scenarios, args.seeds, others, settings, args.first_seed)
    reference = [r.metrics for r in suite.run_all(todo, workers=args.workers)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        watched = list(pool.map(_watch_job, [(s, n, args.days) for s in scenarios for n in seeds]))
        cuts = {
            k: list(pool.map(_cut_job, [(s, n, k, args.days) for s in scenarios for n in seeds]))
            for k in (1, 2)
        }
    probes = {"roasloop": [w.metrics for w in watched]}
    probes |= {FirstReportCut(k).name: [_as_roasloop(r) for r in rows] for k, rows in cuts.items()}
    summaries = {label: metrics.summarise(reference + rows) for label, rows in probes.items()}
    console.print("overall gain share (points over the better seed policy), profit/run, false")
    console.print("pauses, learning resets, families behind the better seed policy:")
    for label, summary in summaries.items():
        console.print(f"  {label:44s} {variant_line(summary)}")
    console.print(_family_table(summaries))
    console.print(_alert_table(watched))
    return 0


def _as_roasloop(row: metrics.RunMetrics) -> metrics.RunMetrics:
    """A probe's row under roasloop's name, so the summaries compare it like roasloop."""
    return replace(row, policy="roasloop")


def _family_table(summaries: dict[str, list[metrics.Summary]]) -> Table:
    """Mean profit per run of each probe beside the better seed policy's, per family."""
    table = Table(title="profit per 30-day run: the better seed policy and each probe")
    for column in ("family", "better seed policy", *summaries):
        table.add_column(column, justify="left" if column == "family" else "right")
    first = next(iter(summaries.values()))
    for family in dict.fromkeys(s.family for s in first):
        seeds = [s for s in first if s.family == family and s.policy.startswith("seed-")]
        rival = max(seeds, key=lambda s: s.profit)
        ours = [
            next(s for s in rows if s.family == family and s.policy == "roasloop")
            for rows in summaries.values()
        ]
        table.add_row(
            family, f"{rival.profit:,.0f} ({rival.policy})", *(f"{s.profit:,.0f}" for s in ours)
        )
    return table


def _alert_table(watched: Sequence[Watched]) -> Table:
    table = Table(title=f"{FINDING}: runs alerted, first day, campaign truly below break-even")
    for column in ("family", "runs alerted", "median first day", "truly below then", "mornings"):
        table.add_column(column, justify="left" if column == "family" else "right")
    for family in dict.fromkeys(w.metrics.family for w in watched):
        runs = [w for w in watched if w.metrics.family == family]
        alerted = [w for w in runs if w.first_alert_day is not None]
        days = [w.first_alert_day for w in alerted if w.first_alert_day is not None]
        below = sum(1 for w in alerted if w.truly_below)
        table.add_row(
            family,
            f"{len(alerted)}/{len(runs)}",
            f"{statistics.median(days):.0f}" if days else "—",
            f"{below}/{len(alerted)}" if alerted else "—",
            f"{sum(w.alert_days for w in runs)}",
        )
    return table


if __name__ == "__main__":
    raise SystemExit(main())
