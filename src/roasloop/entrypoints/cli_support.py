"""What every ``roasloop`` command shares: consoles, the ``--locale`` option, settings.

Kept light: importing it (and so ``roasloop --help``) loads no store, statistics or
platform code; commands import what they use when they run.
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from roasloop.config import ConfigurationError, Settings
from roasloop.i18n import render

#: Results (JSON, tables) go to stdout; notes and errors to stderr, so stdout stays parseable.
console = Console()
notes = Console(stderr=True)

Locale = Annotated[str, typer.Option("--locale", help="en or zh-CN")]


def fail(text: str, code: int = 2) -> typer.Exit:
    """Print ``text`` as an error on stderr; return the exit to raise."""
    notes.print(text, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def load_settings(locale: str = "en") -> Settings:
    """The settings from the environment, or exit 2 naming what is wrong (never its values)."""
    try:
        return Settings()
    except ConfigurationError as exc:
        raise fail(render("cli_config_error", locale, detail=str(exc))) from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise fail(render("cli_config_fields", locale, fields=fields)) from None
