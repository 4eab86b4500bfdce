"""A newcomer's first hour with ``roasloop``: fast help, a clear tenant, plain wording."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from roasloop.entrypoints.cli import app
from roasloop.i18n import CATALOG

HEAVY = (
    "scipy",
    "numpy",
    "sqlalchemy",
    "alembic",
    "cryptography",
    "statsmodels",
    "httpx",
    "roasloop.module",
    "roasloop.platforms",
)
COMMANDS = (
    (),
    ("demo",),
    ("execute",),
    ("backtest",),
    ("sandbox",),
    ("sandbox", "serve"),
    ("sandbox", "advance"),
)
#: Internal references a user must not meet: the specs this project grew from ("seed"),
#: its tracker ("issue") and section marks.
INTERNAL = re.compile(r"seed|issue|§|种子|议题", re.IGNORECASE)
#: Identifiers users type: the two spec policies, and the options that pick a simulated market.
IDENTIFIERS = re.compile(r"threshold|tiered|--seeds?\b")

PROBE = """
import json, sys
from roasloop.entrypoints.cli import main
commands, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loaded = {}
for command in commands:
    sys.argv = ["roasloop", *command, "--help"]
    try:
        main()
    except SystemExit:
        pass
    loaded[" ".join(command)] = [name for name in heavy if name in sys.modules]
print(json.dumps(loaded))
"""


def test_help_of_every_command_loads_no_heavy_module() -> None:
    commands = json.dumps([list(c) for c in COMMANDS])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, commands, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {" ".join(c): [] for c in COMMANDS}


def test_execute_needs_a_tenant_and_says_which_default_it_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROASLOOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ROASLOOP_LOG_LEVEL", "CRITICAL")
    monkeypatch.delenv("ROASLOOP_DEFAULT_USER", raising=False)
    missing = CliRunner().invoke(app, ["execute", "list_operations"])
    assert missing.exit_code == 2
    assert "--user" in missing.stderr and "ROASLOOP_DEFAULT_USER" in missing.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was built

    monkeypatch.setenv("ROASLOOP_DEFAULT_USER", "seller-9")
    defaulted = CliRunner().invoke(app, ["execute", "list_operations"])
    assert defaulted.exit_code == 0, defaulted.output
    assert "seller-9" in defaulted.stderr
    assert json.loads(defaulted.stdout)["status"] == "success"

    explicit = CliRunner().invoke(app, ["execute", "list_operations", "--user", "seller-2"])
    assert explicit.exit_code == 0, explicit.output
    assert explicit.stderr == ""
    assert json.loads(explicit.stdout)["status"] == "success"


def _help_texts() -> dict[str, str]:
    """Every command's ``--help`` as printed, on one line each (no wrapping)."""
    texts = {}
    for command in COMMANDS:
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "400"})
        assert result.exit_code == 0, result.output
        texts[" ".join(command) or "roasloop"] = " ".join(result.output.split())
    return texts


def _declared_help() -> dict[str, str]:
    """The help strings themselves, from the command tree (immune to any wrapping)."""
    texts: dict[str, str] = {}

    def walk(name: str, command: click.Command) -> None:
        parts = [command.help or "", command.short_help or ""]
        parts += [getattr(p, "help", None) or "" for p in command.params]
        texts[name] = " ".join(parts)
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(f"{name} {sub_name}", sub)

    walk("roasloop", typer.main.get_command(app))
    return texts


def test_user_facing_text_has_no_internal_references() -> None:
    texts = {
        f"{key} [{locale}]": text
        for key, entry in CATALOG.items()
        for locale, text in entry.items()
    }
    texts |= {f"help: {k}": v for k, v in _help_texts().items()}
    texts |= {f"declared help: {k}": v for k, v in _declared_help().items()}
    leaks = {where: text for where, text in texts.items() if _internal(text)}
    assert leaks == {}


def _internal(text: str) -> bool:
    return INTERNAL.search(IDENTIFIERS.sub("", text)) is not None


def test_the_policies_are_described_without_internal_names() -> None:
    help_text = _help_texts()["backtest"]
    assert "threshold (the spec's design rules)" in help_text
    assert "tiered (the spec's tiered rules)" in help_text
