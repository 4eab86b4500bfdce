"""The ``roasloop`` command (typer + rich). Thin: every command drives the module API.

Commands import what they use when they run, so ``roasloop --help`` (and each command's
``--help``) stays fast.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from roasloop.config import Settings
from roasloop.entrypoints.backtest_cli import backtest
from roasloop.entrypoints.cli_support import Locale, console, fail, load_settings, notes
from roasloop.entrypoints.sandbox_cli import sandbox_app
from roasloop.i18n import render

app = typer.Typer(
    add_completion=False,
    help=(
        "roasloop: closed-loop paid ads (TikTok, Meta, Google). Start with `roasloop demo`; "
        "runs on the built-in sandboxes until ROASLOOP_PLATFORM_MODE=live."
    ),
)
app.add_typer(sandbox_app, name="sandbox")
app.command("backtest")(backtest)

EXAMPLE_PARAMS = '{"platform": "tiktok", "campaign_id": "..."}'


@app.command()
def demo(
    days: Annotated[int, typer.Option(min=1, max=90, help="Simulated days")] = 30,
    seed: Annotated[
        int, typer.Option(help="Number of the simulated market: the same number, the same run")
    ] = 7,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the HTML report [default: roasloop-report/market-<number>-<locale>]"
        ),
    ] = None,
    workdir: Annotated[
        Path | None,
        typer.Option(
            help="Scratch data, wiped first [default: roasloop-demo/market-<number>-<locale>]"
        ),
    ] = None,
    locale: Locale = "en",
) -> None:
    """A 30-day product launch on the sandbox: create, observe, optimize, test; then a report."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from roasloop.demo import default_out_dir, run_demo
    from roasloop.entrypoints.report_html import write_report

    title = render("demo_title", locale, days=days)
    console.print(f"[bold]{title}[/bold]  [cyan](mode: sandbox)[/cyan]")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(render("demo_progress", locale), total=days)
        result = run_demo(
            workdir or default_out_dir(seed, locale, Path("roasloop-demo")),
            days=days,
            seed=seed,
            locale=locale,
            on_day=lambda d: progress.update(task, completed=d),
        )
    _print_summary(result, locale)
    path = write_report(result, out or default_out_dir(seed, locale))
    console.print(render("demo_report_written", locale, path=str(path)), soft_wrap=True)


def _print_summary(result: Any, locale: str) -> None:
    from rich.table import Table

    from roasloop.demo import money, totals
    from roasloop.entrypoints.report_html import totals_line

    for campaign in result.campaigns:
        table = Table(title=f"{render('demo_adsets', locale)} · {campaign.title(locale)}")
        for key in ("col_adset", "col_status", "col_budget", "col_spend", "col_revenue"):
            table.add_column(render(key, locale), justify="left" if key == "col_adset" else "right")
        table.add_column(render("col_roas", locale), justify="right")
        table.add_column(render("col_cpa", locale), justify="right")
        for adset in campaign.adsets:
            m = adset.totals
            table.add_row(
                adset.name,
                render(f"demo_status_{adset.status}", locale),
                money(adset.daily_budget),
                money(m.spend),
                money(m.revenue),
                "—" if m.roas is None else f"{m.roas:.2f}",
                money(m.cpa),
            )
        console.print(table)
    console.print(totals_line(locale, totals(result), result.currency), soft_wrap=True)
    actions = Table(title=render("demo_actions", locale))
    for key in ("col_day", "col_adset", "col_action", "col_change", "col_reason"):
        actions.add_column(render(key, locale))
    for item in result.actions:
        change = f"{money(item['old_budget'])} → {money(item['new_budget'])}"
        action = render(f"demo_action_{item['action']}", locale)
        reason = item["reasons"].get(locale, item["reason"])
        actions.add_row(item["day"], item["adset_name"], action, change, reason)
    console.print(actions if result.actions else render("demo_no_actions", locale))
    verdict = result.ab_test.get("messages", {}).get(locale, "")
    console.print(f"[bold]{render('demo_ab', locale)}:[/bold] {verdict}")


@app.command()
def execute(
    action: Annotated[
        str, typer.Argument(help="The action, e.g. create_campaign, sync_reports, optimize_budget")
    ],
    params: Annotated[
        str, typer.Option(help=f"Parameters as a JSON object, e.g. '{EXAMPLE_PARAMS}'")
    ] = "{}",
    user: Annotated[
        str | None,
        typer.Option(help="The tenant to act for (default: ROASLOOP_DEFAULT_USER)"),
    ] = None,
    locale: Locale = "en",
) -> None:
    """Run one module-API action and print its JSON response (exit 1 if it failed)."""
    try:
        parameters = json.loads(params)
    except ValueError:
        raise fail(render("cli_params_not_json", locale, example=EXAMPLE_PARAMS)) from None
    settings = load_settings(locale)
    tenant = user or settings.default_user
    if not tenant:
        raise fail(render("cli_no_user", locale))
    if not user:
        notes.print(render("cli_default_user", locale, user=tenant), markup=False, soft_wrap=True)
    response = asyncio.run(_execute(settings, action, parameters, tenant, locale))
    console.print_json(json.dumps(response, ensure_ascii=False))
    raise typer.Exit(0 if response.get("status") == "success" else 1)


async def _execute(
    settings: Settings, action: str, parameters: Any, tenant: str, locale: str
) -> dict[str, Any]:
    from roasloop.module import CampaignAutomation

    async with CampaignAutomation(settings) as module:
        return await module.execute(action, parameters, {"user_id": tenant, "locale": locale})


def main() -> None:
    """The ``roasloop`` console script."""
    app()
