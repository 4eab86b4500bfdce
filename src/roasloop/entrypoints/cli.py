"""The ``roasloop`` command (typer + rich). Thin: every command drives the module API."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from roasloop.config import ConfigurationError, Settings
from roasloop.i18n import render

app = typer.Typer(
    add_completion=False, help="roasloop: closed-loop paid ads (TikTok, Meta, Google)."
)
sandbox_app = typer.Typer(help="The built-in wire-compatible sandbox platforms.")
app.add_typer(sandbox_app, name="sandbox")
app.command("backtest")(__import__("roasloop.entrypoints.backtest_cli", fromlist=["_"]).backtest)
console = Console()

Locale = Annotated[str, typer.Option("--locale", help="en or zh-CN")]


def _settings() -> Settings:
    try:
        return Settings()
    except ConfigurationError as exc:
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        console.print(f"[red]Configuration error in:[/red] {fields}")
        raise typer.Exit(2) from None


@app.command()
def demo(
    days: Annotated[int, typer.Option(min=1, max=90)] = 30,
    seed: int = 7,
    out: Annotated[Path, typer.Option(help="Where the HTML report goes")] = Path("roasloop-report"),
    workdir: Annotated[Path, typer.Option(help="Scratch data (wiped)")] = Path("roasloop-demo"),
    locale: Locale = "en",
) -> None:
    """A seeded 30-day launch on the sandbox: create, observe, optimize, test; then a report."""
    from roasloop.demo import run_demo
    from roasloop.entrypoints.report_html import write_report

    console.print(f"[bold]{render('demo_title', locale)}[/bold]  [cyan](mode: sandbox)[/cyan]")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(render("demo_progress", locale), total=days)
        result = run_demo(
            workdir,
            days=days,
            seed=seed,
            locale=locale,
            on_day=lambda d: progress.update(task, completed=d),
        )
    _print_summary(result, locale)
    path = write_report(result, out)
    console.print(render("demo_report_written", locale, path=str(path)))


def _print_summary(result: Any, locale: str) -> None:
    from roasloop.demo import money, totals
    from roasloop.entrypoints.report_html import _totals_line

    table = Table(title=render("demo_adsets", locale))
    for key in (
        "col_name",
        "col_status",
        "col_budget",
        "col_spend",
        "col_revenue",
        "col_roas",
        "col_cpa",
    ):
        table.add_column(render(key, locale), justify="left" if key == "col_name" else "right")
    for adset in result.status.get("adsets", []):
        table.add_row(
            adset["name"],
            adset["status"],
            money(adset.get("daily_budget")),
            money(adset["spend"]),
            money(adset["revenue"]),
            "—" if adset["roas"] is None else f"{adset['roas']:.2f}",
            money(adset["cpa"]),
        )
    console.print(table)
    console.print(_totals_line(locale, totals(result)))
    actions = Table(title=render("demo_actions", locale))
    for key in ("col_day", "col_action", "col_change", "col_reason"):
        actions.add_column(render(key, locale))
    for item in result.actions:
        change = f"{money(item['old_budget'])} → {money(item['new_budget'])}"
        actions.add_row(
            item["day"], item["action"], change, item["reasons"].get(locale, item["reason"])
        )
    console.print(actions if result.actions else render("demo_no_actions", locale))
    verdict = result.ab_test.get("messages", {}).get(locale, "")
    console.print(f"[bold]{render('demo_ab', locale)}:[/bold] {verdict}")


@app.command()
def execute(
    action: str,
    params: Annotated[str, typer.Option(help="Parameters as a JSON object")] = "{}",
    user: Annotated[str, typer.Option(help="The tenant (context.user_id)")] = "cli-user",
    locale: Locale = "en",
) -> None:
    """Run one module-API action and print its JSON response."""
    from roasloop.module import CampaignAutomation

    try:
        parameters = json.loads(params)
    except ValueError:
        console.print("[red]--params must be a JSON object[/red]")
        raise typer.Exit(2) from None

    async def run() -> dict[str, Any]:
        async with CampaignAutomation(_settings()) as module:
            return await module.execute(action, parameters, {"user_id": user, "locale": locale})

    response = asyncio.run(run())
    console.print_json(json.dumps(response, ensure_ascii=False))
    raise typer.Exit(0 if response.get("status") == "success" else 1)


@sandbox_app.command("serve")
def sandbox_serve(
    port: int = 8765,
    host: str = "127.0.0.1",
    seed: Annotated[int | None, typer.Option(help="Market seed (default from settings)")] = None,
    locale: Locale = "en",
) -> None:
    """Serve the TikTok sandbox on a port (state in the sandbox's own SQLite file)."""
    import uvicorn

    from roasloop.entrypoints.sandbox_server import build_served_app

    settings = _settings()
    console.print(render("sandbox_serving", locale, host=host, port=port))
    uvicorn.run(build_served_app(settings, seed), host=host, port=port, log_level="warning")


def main() -> None:
    app()
