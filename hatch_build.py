"""Compile the gettext catalogs (``src/roasloop/locale/*/LC_MESSAGES/*.po``) to ``.mo`` when
the wheel is built, for ``pip install .`` and ``pip install -e .`` alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE_DIR = Path("src", "roasloop", "locale")


class CompileCatalogs(BuildHookInterface):
    """Writes each ``.mo`` beside its ``.po`` (fuzzy entries left out, as ``msgfmt`` does)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        for po in sorted((Path(self.root) / LOCALE_DIR).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
