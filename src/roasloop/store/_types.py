"""Column types that make every backend return the same Python values.

* :class:`UTCDateTime` — aware datetimes in, aware UTC datetimes out. SQLite keeps no
  offset, so values are stored as naive UTC there and tagged UTC on the way out.
* :class:`ScaledDecimal` — ``Decimal`` stored as an integer count of ``10**-places``
  (money in cents), exact on both backends; SQLite's NUMERIC would store a float.
* :data:`JSONDoc` — JSON (JSONB on PostgreSQL). Callers pass JSON-safe dicts (str, int,
  float, bool, None, lists and dicts of those); ``Decimal`` and dates are not converted.
* :class:`EnumCode` — a domain enum kept as its value (``"tiktok"``) in a short text column.
* :class:`TargetingDoc`, :class:`PairsDoc` — domain values kept as JSON documents.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

from roasloop.domain.models import Targeting

E = TypeVar("E", bound=enum.Enum)
#: Length of the columns that hold codes (enum values).
CODE_LENGTH = 32

JSONDoc: TypeEngine[Any] = JSON(none_as_null=True).with_variant(
    JSONB(none_as_null=True), "postgresql"
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` kept as an integer of ``10**-places`` units, rounded half-up."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._unit = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"expected a finite Decimal, got {value!r}")
        return int(value.quantize(self._unit, rounding=ROUND_HALF_UP).scaleb(self.places))

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).scaleb(-self.places).quantize(self._unit)


class Money(ScaledDecimal):
    """Money in integer cents (``Decimal('33.33')`` is stored as ``3333``)."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(2)


class Ratio(ScaledDecimal):
    """A ratio such as a target ROAS, kept to four decimal places."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(4)


class EnumCode(TypeDecorator[E], Generic[E]):
    """A member of ``enum`` stored as its value; a value the enum lacks raises ``ValueError``."""

    impl = String(CODE_LENGTH)
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> Any:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


class TargetingDoc(TypeDecorator[Targeting]):
    """An ad set's :class:`Targeting` as a JSON document (``Targeting.as_dict``)."""

    impl = JSONDoc
    cache_ok = True

    def process_bind_param(self, value: Targeting | None, dialect: Dialect) -> Any:
        return None if value is None else value.as_dict()

    def process_result_value(self, value: Any, dialect: Dialect) -> Targeting | None:
        return None if value is None else Targeting.from_dict(value)


Pairs = tuple[tuple[str, str], ...]


class PairsDoc(TypeDecorator[Pairs]):
    """A tuple of string pairs as a JSON list of two-element lists."""

    impl = JSONDoc
    cache_ok = True

    def process_bind_param(self, value: Pairs | None, dialect: Dialect) -> Any:
        return None if value is None else [list(pair) for pair in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> Pairs | None:
        return None if value is None else tuple((str(a), str(b)) for a, b in value)
