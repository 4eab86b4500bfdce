"""README.md as a reader uses it: each Python block runs as a script, each command it shows
exists and takes the options shown, its links lead somewhere, and its words are the user's."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from roasloop import CampaignAutomation, Settings
from roasloop.entrypoints.cli import app
from tests.integration.docs_markdown import Block, blocks, ticks

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
PYTHON = [b for b in blocks(TEXT) if b.language == "python"]
SHELL = [b for b in blocks(TEXT) if b.language == "bash"]
#: Our own words that mean nothing to a user: the specification we grew from ("the seed's",
#: "seed policy"), the tracker ("issue") and section marks. A random seed is fine.
INTERNAL = ("the seed's", "seed policy", "issue", "§")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _prose(markdown: str) -> str:
    """``markdown`` without its fenced code blocks."""
    return re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)


def _commands() -> list[list[str]]:
    """Every command shown: each line of a ``bash`` block, and each `roasloop …` or `make …`
    in the text."""
    lines = [line for block in SHELL for line in block.text.splitlines()]
    lines += [span for span in ticks(_prose(TEXT)) if span.startswith(("roasloop ", "make "))]
    found = (shlex.split(line, comments=True) for line in lines)
    return [shlex.split(line) for line in dict.fromkeys(shlex.join(argv) for argv in found if argv)]


COMMANDS = _commands()


def _example_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a reader who set nothing but the data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROASLOOP_")}
    env["ROASLOOP_DATA_DIR"] = str(data_dir)
    return env


def _run_example(block: Block, workdir: Path) -> subprocess.CompletedProcess[str]:
    """``block`` saved as a file and run with Python, in ``workdir`` (so no ``.env`` of ours
    is read), with its data in ``workdir/data``."""
    script = workdir / "example.py"
    script.write_text(block.text + "\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=_example_environment(workdir / "data"),
        timeout=300,
    )


def test_the_readme_has_the_examples_these_tests_read() -> None:
    assert PYTHON and SHELL
    shown = {" ".join(argv[:2]) for argv in COMMANDS}
    assert {"make demo", "make test", "roasloop backtest", "roasloop execute"} <= shown


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: f"line-{b.line}")
def test_each_python_block_runs_as_a_script(block: Block, tmp_path: Path) -> None:
    done = _run_example(block, tmp_path)
    assert done.returncode == 0, f"README line {block.line}:\n{done.stdout}\n{done.stderr}"


async def test_the_module_example_launches_its_campaign_with_the_sample_video(
    tmp_path: Path,
) -> None:
    (block,) = [b for b in PYTHON if "create_campaign" in b.text]
    done = _run_example(block, tmp_path)
    assert done.returncode == 0, done.stderr
    words = done.stdout.split()
    assert words[:2] == ["Campaign", "created"] and len(words) == 3, done.stdout
    campaign_id = words[2]

    settings = Settings(data_dir=tmp_path / "data")
    async with CampaignAutomation(settings) as module:
        status = await module.execute(
            "get_campaign_status",
            {"platform": "tiktok", "campaign_id": campaign_id},
            {"user_id": "seller-1"},
        )
        assert status["status"] == "success", status
        store = (await module.runtime()).deps.store
        async with store.unit("seller-1") as uow:
            creative = await uow.creatives.get("hook")
    assert creative is not None
    assert creative.media_url == str((settings.resolved_media_dir / "hook.mp4").resolve())


def _resolve(argv: list[str]) -> tuple[list[str], Any, list[str]]:
    """The subcommand path of a ``roasloop`` command line, its command, and the rest."""
    command: Any = typer.main.get_command(app)
    path: list[str] = []
    rest = argv[1:]
    while rest and rest[0] in getattr(command, "commands", {}):
        path.append(rest[0])
        command = command.commands[rest[0]]
        rest = rest[1:]
    return path, command, rest


@pytest.mark.parametrize("argv", COMMANDS, ids=shlex.join)
def test_each_command_shown_exists_and_takes_its_arguments(argv: list[str]) -> None:
    if argv[0] == "make":
        # A target must be a rule of the Makefile: make alone would accept any existing path.
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        rules = re.findall(r"^([\w.-]+)\s*:(?!=)", makefile, flags=re.MULTILINE)
        assert set(argv[1:]) <= set(rules), f"no such make target: {shlex.join(argv)}"
        done = subprocess.run(["make", "-n", "-C", str(ROOT), *argv[1:]], capture_output=True)
        assert done.returncode == 0, done.stderr.decode()
        return
    assert argv[0] == "roasloop", f"a command these tests do not know how to check: {argv}"
    path, command, rest = _resolve(argv)
    assert path, f"no such roasloop command: {shlex.join(argv)}"
    shown = CliRunner().invoke(app, [*path, "--help"])
    assert shown.exit_code == 0, shown.output
    if rest:  # shown with arguments, not just named: they must parse
        # Parsing converts and checks every option and argument without running the command.
        with command.make_context(" ".join(["roasloop", *path]), list(rest)):
            pass


def test_the_wording_is_the_users() -> None:
    lowered = TEXT.lower()
    assert [word for word in INTERNAL if word in lowered] == []


def test_every_link_and_named_doc_exists() -> None:
    targets = LINK.findall(TEXT)
    targets += [span for span in ticks(_prose(TEXT)) if span.startswith("docs/")]
    local = [t.split("#")[0] for t in targets if "://" not in t and not t.startswith("#")]
    assert local, "the README links its docs"
    assert [t for t in local if not (ROOT / t).exists()] == []


def test_the_code_map_names_every_package_and_nothing_that_is_gone() -> None:
    section = TEXT.split("## Code map", 1)[1]
    package = ROOT / "src" / "roasloop"
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    named = set(re.findall(r"`([a-z_0-9]+)/`", section))
    assert folders - named == set()
    nested = {p.name for p in package.glob("*/*") if (p / "__init__.py").exists()}
    assert named - folders - nested - {"locale"} == set()
    for module in re.findall(r"`([a-z_]+\.py)`", section):
        assert (package / module).exists() or list(package.rglob(module)), module
