"""The creatives aggregate: creatives and the platform media ids of their uploads."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from roasloop.domain.enums import Platform
from roasloop.domain.models import Creative


class CreativeRepository(ABC):
    """The unit tenant's creatives, and which media id each got on each ad account."""

    @abstractmethod
    async def save(self, creative: Creative) -> None:
        """Insert or replace ``creative`` (by ``creative_id``)."""

    @abstractmethod
    async def get(self, creative_id: str) -> Creative | None:
        """The creative, or ``None``."""

    @abstractmethod
    async def get_many(self, creative_ids: Sequence[str]) -> dict[str, Creative]:
        """The creatives among ``creative_ids``, by id (missing ones absent), in one read."""

    @abstractmethod
    async def all(self) -> list[Creative]:
        """Every creative, ordered by ``created_at`` then ``creative_id``."""

    @abstractmethod
    async def save_media_ref(
        self, creative_id: str, platform: Platform, account_id: str, media_id: str
    ) -> None:
        """Remember (or replace) the platform media id of an uploaded creative."""

    @abstractmethod
    async def get_media_ref(
        self, creative_id: str, platform: Platform, account_id: str
    ) -> str | None:
        """The media id saved for the creative on that platform and account, or ``None``."""
