"""Shared pieces of the module API's action registry: the entry type and input types.

Each ``actions/<area>.py`` defines parameter models (validated at the edge, unknown keys
ignored, every failure naming its field) and thin handlers that call ``services/``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from roasloop.domain.enums import Platform
from roasloop.domain.money import parse_money
from roasloop.errors import InvalidParameter
from roasloop.services.common import Deps, RequestContext

#: The module API's parameters and responses: plain JSON-able dicts, at this edge only.
JSON = dict[str, Any]
#: Longest id or name accepted (the store's id columns are 255 characters).
MAX_TEXT = 255
Handler = Callable[[Deps, RequestContext, Any], Awaitable[JSON]]


@dataclass(frozen=True, slots=True)
class Action:
    params: type[BaseModel]
    handler: Handler


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("check_positive")
    return value


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("check_unique_ids")
    return values


Money = Annotated[Decimal, BeforeValidator(parse_money)]
PositiveMoney = Annotated[Decimal, BeforeValidator(parse_money), AfterValidator(_positive)]


def _printable(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("check_printable")
    return value


#: Ids and names: stored in 255-character columns, never with control characters.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_printable),
]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]
#: Creative ids of one request: each at most once.
UniqueIds = Annotated[list[Text], AfterValidator(_unique)]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]


def _distinct_countries(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise InvalidParameter(
                f"target_countries[{index}]",
                f"{value} is listed twice",
                detail_key="check_listed_twice",
                detail_params={"value": value},
            )
        seen.add(value)
    return values


#: Each country once; no list longer than the world's.
Countries = Annotated[
    list[Country], Field(min_length=1, max_length=250), AfterValidator(_distinct_countries)
]


class Params(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WithPlatform(Params):
    platform: Platform = Platform.TIKTOK


class CampaignRef(WithPlatform):
    campaign_id: Text


def unique(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("check_unique_ids")
    return value
