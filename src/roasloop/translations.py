"""The gettext message catalogs behind every user-facing sentence.

English text is the msgid and lives in the code, marked with :func:`N_` so that
``make messages`` (Babel's ``pybabel extract`` and ``update``) finds it. Other languages live in
``locale/<ll_CC>/LC_MESSAGES/roasloop.po`` next to this module, compiled to ``roasloop.mo`` when
the package is installed. Locales are named the way the module API names them (``zh-CN``);
their catalog folder uses gettext's spelling (``zh_CN``).

Templates use ``{name}`` placeholders (``str.format`` syntax); a missing value renders as an
empty string so a message never fails to render.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

DOMAIN = "roasloop"
LOCALES = ("en", "zh-CN")
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark ``message`` as a msgid for extraction; returns it unchanged."""
    return message


def translate(msgid: str, locale: str) -> str:
    """``msgid`` in ``locale``: its translation, or the msgid itself (English, or untranslated)."""
    if not msgid:
        return msgid  # gettext's "" is the catalog's header
    return _translations(locale).gettext(msgid)


def render_text(msgid: str, locale: str, **params: Any) -> str:
    """``msgid`` translated to ``locale`` with its ``{placeholders}`` filled from ``params``."""
    return fill(translate(msgid, locale), params)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with its placeholders filled; a missing value renders as ``""``."""
    return template.format_map(_Blank(params))


class LocalizedValueError(ValueError):
    """A refused value whose message is a msgid with parameters, so that whoever turns it into
    a caller's error can say it in every language (``str()`` is the English)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(fill(msgid, params))
        self.msgid = msgid
        self.params = params


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


class Catalog(Mapping[str, dict[str, str]]):
    """A registry of symbolic keys → msgids, read as ``{key: {locale: template}}``."""

    def __init__(self, msgids: Mapping[str, str]) -> None:
        self._msgids = msgids

    def __getitem__(self, key: str) -> dict[str, str]:
        msgid = self._msgids[key]
        return {locale: translate(msgid, locale) for locale in LOCALES}

    def __contains__(self, key: object) -> bool:
        return key in self._msgids

    def __iter__(self) -> Iterator[str]:
        return iter(self._msgids)

    def __len__(self) -> int:
        return len(self._msgids)


def catalog_files(locale: str) -> tuple[Path, Path]:
    """The ``.po`` source and the compiled ``.mo`` of ``locale`` (``zh-CN``)."""
    folder = LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


@functools.cache
def _translations(locale: str) -> gettext.NullTranslations:
    if locale == "en" or locale not in LOCALES:
        return gettext.NullTranslations()  # English is the msgid; other locales read English
    po, mo = catalog_files(locale)
    if mo.exists() and not (po.exists() and po.stat().st_mtime > mo.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    # A source checkout that was never installed, or a .po edited since: compile it here.
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of the catalog ``po`` (fuzzy entries left out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()
