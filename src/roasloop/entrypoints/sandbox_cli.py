"""``roasloop sandbox``: serve the built-in platform sandboxes and move their clock."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

import typer

from roasloop.config import Settings
from roasloop.entrypoints.cli_support import Locale, console, fail, load_settings
from roasloop.i18n import render

#: Who moves the clock from the shell (the action acts on the sandbox, not a tenant's data).
CLI_TENANT = "sandbox-cli"

sandbox_app = typer.Typer(
    help=(
        "The built-in sandboxes of TikTok, Meta and Google Ads: wire-compatible APIs over a "
        "simulated market (no keys, no network)."
    )
)


@sandbox_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    seed: Annotated[
        int | None,
        typer.Option(help="Number of the simulated market (default: the settings' one)"),
    ] = None,
    locale: Locale = "en",
) -> None:
    """Serve every enabled platform's sandbox on a port; prints each API's base URL."""
    import uvicorn

    from roasloop.entrypoints.sandbox_server import build_served_app, describe

    settings = load_settings(locale)
    app = build_served_app(settings, seed)
    for line in describe(settings, host, port, locale):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@sandbox_app.command("advance")
def advance(
    days: Annotated[
        int, typer.Option(min=1, max=366, help="How many days to move the clock ahead")
    ] = 1,
    locale: Locale = "en",
) -> None:
    """Move the sandbox's simulated clock ahead; the days' delivery and reports follow.

    With ROASLOOP_SANDBOX_URL set it moves that served sandbox; otherwise the sandboxes
    kept in ROASLOOP_DATA_DIR, which every later roasloop command then runs on.
    """
    settings = load_settings(locale)
    if not settings.is_sandbox:
        raise fail(render("sandbox_advance_live", locale))
    response = asyncio.run(_advance(settings, days, locale))
    if response.get("status") != "success":
        where = settings.sandbox_url or str(settings.data_dir)
        detail = str(response.get("error", {}).get("message", ""))
        raise fail(render("sandbox_advance_failed", locale, url=where, detail=detail), 1)
    moment = datetime.fromisoformat(response["now"])
    today, now = moment.date().isoformat(), moment.isoformat(timespec="minutes")
    console.print(render("sandbox_advanced", locale, today=today, now=now), soft_wrap=True)


async def _advance(settings: Settings, days: int, locale: str) -> dict[str, Any]:
    """The module API's ``advance_sandbox``: the same use case every door calls."""
    from roasloop.module import CampaignAutomation

    async with CampaignAutomation(settings) as module:
        context = {"user_id": CLI_TENANT, "locale": locale}
        return await module.execute("advance_sandbox", {"days": days}, context)
