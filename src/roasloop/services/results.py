"""Result pieces several use cases share: a platform failure reported beside a result."""

from __future__ import annotations

from dataclasses import dataclass, field

from roasloop.errors import RoasloopError
from roasloop.i18n import LOCALES


@dataclass(frozen=True, slots=True)
class PlatformFailure:
    """A platform error a use case worked around (it decided on stored data, say)."""

    code: str
    type: str
    #: The error's sentence in each locale.
    messages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, error: RoasloopError) -> PlatformFailure:
        return cls(error.code, error.type, {locale: error.message(locale) for locale in LOCALES})

    def message(self, locale: str) -> str:
        return self.messages.get(locale) or self.messages.get("en", "")
