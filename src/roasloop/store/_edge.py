"""Records ↔ rows at the repository edge, by field name.

The row classes (:mod:`roasloop.store.tables`) carry an attribute, with the column type
that converts it, for each field of their domain record; so converting is copying fields
by name, the same for every record. Secrets are sealed and unsealed by their repositories,
not here.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

R = TypeVar("R")
Values = dict[str, Any]
_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def field_names(record_type: type[Any]) -> tuple[str, ...]:
    """The dataclass fields of ``record_type``, in declaration order."""
    names = _FIELDS.get(record_type)
    if names is None:
        names = _FIELDS[record_type] = tuple(field.name for field in fields(record_type))
    return names


def record_of(record_type: type[R], row: object) -> R:
    """The ``record_type`` whose fields are ``row``'s attributes of the same names."""
    return record_type(**{name: getattr(row, name) for name in field_names(record_type)})


def values_of(record: object) -> Values:
    """``record``'s fields by name: the row values (by attribute) of an ORM insert."""
    return {name: getattr(record, name) for name in field_names(type(record))}
