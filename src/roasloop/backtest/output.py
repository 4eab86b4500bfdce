"""Back-test output: ``results.csv`` (one row per run), ``summary.csv``, rich tables."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rich.table import Table

from roasloop.backtest.engine import RunMetrics
from roasloop.backtest.metrics import OVERALL, PairedGap, Summary
from roasloop.i18n import render

RESULT_COLUMNS = (
    "scenario",
    "family",
    "seed",
    "policy",
    "profit",
    "revenue",
    "spend",
    "roas",
    "cpa",
    "conversions",
    "learning_resets",
    "pauses",
    "false_pauses",
    "budget_changes",
    "limit_changes",
    "budget_total",
)
SUMMARY_COLUMNS = (
    "family",
    "policy",
    "runs",
    "gain_share",
    "profit",
    "revenue",
    "spend",
    "roas",
    "pauses",
    "false_pauses",
    "false_pause_rate",
    "learning_resets",
    "budget_changes",
)


def write_results(rows: Sequence[RunMetrics], path: Path) -> None:
    """One CSV row per scenario × seed × policy; money in account currency, cents."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_COLUMNS)
        for m in rows:
            writer.writerow(
                [
                    m.scenario,
                    m.family,
                    m.seed,
                    m.policy,
                    m.profit,
                    m.revenue,
                    m.spend,
                    _ratio(m.roas, "0.0001"),
                    _ratio(m.cpa, "0.01"),
                    m.conversions,
                    m.learning_resets,
                    m.pauses,
                    m.false_pauses,
                    m.budget_changes,
                    m.limit_changes,
                    m.budget_total,
                ]
            )


def write_summary(summaries: Sequence[Summary], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_COLUMNS)
        for s in summaries:
            writer.writerow(
                [
                    s.family,
                    s.policy,
                    s.runs,
                    _fmt(s.gain_share, 4),
                    f"{s.profit:.2f}",
                    f"{s.revenue:.2f}",
                    f"{s.spend:.2f}",
                    _fmt(s.roas, 4),
                    s.pauses,
                    s.false_pauses,
                    _fmt(s.false_pause_rate, 4),
                    s.learning_resets,
                    s.budget_changes,
                ]
            )


def tables(summaries: Sequence[Summary], locale: str = "en") -> list[Table]:
    """One table per family, then the overall table."""
    families = list(dict.fromkeys(s.family for s in summaries))
    return [
        _table(family, [s for s in summaries if s.family == family], locale) for family in families
    ]


_COLUMNS = (
    "bt_col_policy",
    "bt_col_gain",
    "bt_col_profit",
    "bt_col_roas",
    "bt_col_false_pauses",
    "bt_col_resets",
    "bt_col_changes",
)


def _table(family: str, rows: list[Summary], locale: str) -> Table:
    title = render("bt_overall", locale) if family == OVERALL else family
    table = Table(title=title, title_justify="left")
    for key in _COLUMNS:
        table.add_column(render(key, locale), justify="left" if key == "bt_col_policy" else "right")
    for s in rows:
        rate = s.false_pause_rate
        table.add_row(
            s.policy,
            "—" if s.gain_share is None else f"{100 * s.gain_share:.0f}%",
            f"{s.profit:,.0f}",
            "—" if s.roas is None else f"{s.roas:.2f}",
            f"{s.false_pauses}/{s.pauses}" + ("" if rate is None else f" ({100 * rate:.0f}%)"),
            str(s.learning_resets),
            str(s.budget_changes),
        )
    return table


def paired_table(gaps: Sequence[PairedGap], policy: str = "roasloop", locale: str = "en") -> Table:
    """``policy`` against the better seed policy in each family, paired by seed."""
    table = Table(title=render("bt_paired_title", locale, policy=policy), title_justify="left")
    for key in ("bt_col_family", "bt_col_rival"):
        table.add_column(render(key, locale))
    for key in ("bt_col_difference", "bt_col_interval", "bt_col_seeds"):
        table.add_column(render(key, locale), justify="right")
    for gap in gaps:
        interval = f"[{gap.low:+,.0f}, {gap.high:+,.0f}]"
        table.add_row(gap.family, gap.rival, f"{gap.mean:+,.0f}", interval, str(gap.seeds))
    return table


def _ratio(value: Decimal | None, places: str) -> str:
    return "" if value is None else str(value.quantize(Decimal(places)))


def _fmt(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"
