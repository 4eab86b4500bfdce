"""The gettext catalogs: the template holds exactly the messages marked in the code, every one
has its zh-CN translation with the same placeholders, and none is left fuzzy."""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "roasloop"
POT = PACKAGE / "locale" / "roasloop.pot"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "roasloop.po"
STALE = "the message template is out of date: run `make messages` and translate what it adds"


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def _messages(catalog: Catalog) -> dict[str, Message]:
    return {str(m.id): m for m in catalog if m.id}


def _fields(template: str) -> set[str]:
    """The names a ``str.format`` template fills (``{p:.2g}`` → ``p``)."""
    parsed = string.Formatter().parse(template)
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in parsed if name is not None}


def _extracted() -> set[str]:
    """The msgids marked with ``N_()`` in the code, found as ``make messages`` finds them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    method_map = [(m["pattern"], m["method"]) for m in config["tool"]["babel"]["mappings"]]
    found = extract_from_dir(str(PACKAGE), method_map, keywords={"N_": None})
    return {str(message) for _, _, message, _, _ in found}


def test_the_template_matches_the_messages_in_the_code() -> None:
    template = set(_messages(_read(POT)))
    code = _extracted()
    assert code - template == set(), STALE
    assert template - code == set(), STALE


def test_the_zh_cn_catalog_holds_exactly_the_template_messages() -> None:
    assert set(_messages(_read(PO))) == set(_messages(_read(POT))), STALE


def test_every_message_has_its_zh_cn_translation() -> None:
    translated = _messages(_read(PO))
    missing = [
        msgid
        for msgid in _messages(_read(POT))
        if msgid not in translated or not str(translated[msgid].string).strip()
    ]
    assert missing == []


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    differ = {
        msgid: message.string
        for msgid, message in _messages(_read(PO)).items()
        if _fields(msgid) != _fields(str(message.string))
    }
    assert differ == {}


def test_no_translation_is_fuzzy() -> None:
    catalog = _read(PO)
    assert not catalog.fuzzy
    assert [msgid for msgid, m in _messages(catalog).items() if m.fuzzy] == []


def test_a_checkout_without_compiled_catalogs_reads_the_po_files(tmp_path: Path) -> None:
    """A source tree that was never installed has no ``.mo``: the ``.po`` is compiled on load."""
    shutil.copytree(
        PACKAGE, tmp_path / "roasloop", ignore=shutil.ignore_patterns("*.mo", "__pycache__")
    )
    probe = (
        "import roasloop.i18n as i18n; "
        "print(i18n.__file__); print(i18n.render('campaign_created', 'zh-CN'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    where, text = done.stdout.splitlines()
    assert where.startswith(str(tmp_path))
    assert text == "广告系列创建成功"
