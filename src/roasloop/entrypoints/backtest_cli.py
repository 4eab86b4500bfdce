"""``roasloop backtest``: run budget policies on the market simulator and report.

    roasloop backtest \
        --policies threshold,tiered,roasloop,roasloop+store-orders,static,oracle \
        --days 30 --seeds 20 [--scenarios DIR] [--out DIR] [--pause-stance decisive]

Prints a table per scenario family and overall, and roasloop against the better of the
spec's two rule policies family by family; writes ``results.csv`` (one row per scenario ×
simulated market × policy), ``summary.csv`` and ``gain_share.svg`` to ``--out``. How the
figures compare with the project's targets is in ``docs/benchmarks.md``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from roasloop.entrypoints.cli_support import console, fail
from roasloop.i18n import render


class PauseStanceChoice(StrEnum):
    """roasloop's pause stances (:data:`roasloop.decisions.policies.config.PAUSE_STANCES`)."""

    patient = "patient"
    balanced = "balanced"
    decisive = "decisive"


def backtest(
    policies: Annotated[
        str,
        typer.Option(
            help=(
                "Comma-separated: threshold (the spec's design rules), tiered (the "
                "spec's tiered rules), roasloop (the default policy), roasloop+store-orders "
                "(roasloop with a shop connected), static (budgets never change), oracle "
                "(knows the simulated market's truth: the ceiling)"
            )
        ),
    ] = "threshold,tiered,roasloop,roasloop+store-orders,static,oracle",
    days: Annotated[int, typer.Option(min=2, max=120, help="Simulated days per run")] = 30,
    seeds: Annotated[
        int,
        typer.Option(
            min=1,
            max=1000,
            help="Simulated markets per scenario family (the same count gives the same results)",
        ),
    ] = 20,
    scenarios: Annotated[
        Path | None, typer.Option(help="Folder of scenario files (default: the 8 families)")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder")] = Path("roasloop-backtest"),
    workers: Annotated[int, typer.Option(min=1, help="Processes")] = 2,
    step_cap: Annotated[
        float | None,
        typer.Option(help="roasloop's largest step (default: the platform's safe one)"),
    ] = None,
    store_orders: Annotated[
        bool, typer.Option(help="Let roasloop read the campaign's daily store revenue")
    ] = False,
    pause_stance: Annotated[
        PauseStanceChoice,
        typer.Option(help="How readily roasloop pauses: patient, balanced or decisive"),
    ] = PauseStanceChoice.balanced,
    locale: Annotated[str, typer.Option("--locale", help="en or zh-CN")] = "en",
) -> None:
    """Back-test budget policies on the market simulator: every policy on identical markets."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from roasloop.backtest import chart, metrics, output, suite
    from roasloop.backtest.engine import RunSettings
    from roasloop.backtest.policies import NAMES
    from roasloop.decisions.policies import current_name

    names = [str(current_name(p.strip())) for p in policies.split(",") if p.strip()]
    unknown = [p for p in names if p not in NAMES]
    if unknown or not names:
        text = render("bt_unknown_policies", locale, unknown=unknown, choices=", ".join(NAMES))
        raise fail(text)
    settings = RunSettings(
        days=days,
        step_cap=None if step_cap is None else Decimal(repr(step_cap)),
        store_orders=store_orders,
        pause_stance=pause_stance.value,
    )
    todo = suite.jobs(suite.load_scenarios(scenarios), seeds, names, settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(render("bt_runs", locale), total=len(todo))
        results = suite.run_all(
            todo, workers=workers, progress=lambda n: progress.update(task, completed=n)
        )
    rows = [r.metrics for r in results]
    summaries = metrics.summarise(rows)
    for table in output.tables(summaries, locale):
        console.print(table)
    gaps = metrics.paired_gaps(rows)
    if gaps:
        console.print(output.paired_table(gaps, locale=locale))
    out.mkdir(parents=True, exist_ok=True)
    output.write_results(rows, out / "results.csv")
    output.write_summary(summaries, out / "summary.csv")
    (out / "gain_share.svg").write_text(chart.gain_share_svg(summaries), encoding="utf-8")
    files = ", ".join(str(out / name) for name in ("results.csv", "summary.csv", "gain_share.svg"))
    console.print(render("bt_wrote", locale, files=files))
