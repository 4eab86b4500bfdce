"""Every user-facing message exists in English and Simplified Chinese."""

from __future__ import annotations

import re

from roasloop.i18n import CATALOG, LOCALES, both

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_has_every_locale_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == set(LOCALES), key
        assert all(entry[locale].strip() for locale in LOCALES), key
        names = {locale: set(PLACEHOLDER.findall(entry[locale])) for locale in LOCALES}
        assert names["en"] == names["zh-CN"], key


def test_the_back_test_cli_text_is_in_the_catalog() -> None:
    rendered = both("bt_short_in", families="all_mediocre")
    assert rendered == {"en": "short in all_mediocre", "zh-CN": "不及：all_mediocre"}
