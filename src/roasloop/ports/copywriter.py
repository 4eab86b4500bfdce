"""Copywriter port: ad copy for one creative on one platform."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from roasloop.domain.enums import Platform


@dataclass(frozen=True, slots=True)
class CopyRequest:
    product_url: str
    creative_id: str
    creative_name: str
    platform: Platform
    max_length: int
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class AdCopy:
    """The text and which writer produced it (model name or ``template``)."""

    text: str
    source: str


class Copywriter(ABC):
    """Writes ad copy.

    Contract: returns non-empty text of at most ``request.max_length`` characters.
    Raises :class:`roasloop.errors.AIModelTimeout` or :class:`roasloop.errors.GenerationFailed`
    when a model cannot answer; the fallback chain turns those into template copy.
    """

    @abstractmethod
    async def write(self, request: CopyRequest) -> AdCopy: ...
