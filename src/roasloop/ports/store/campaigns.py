"""The campaigns aggregate: campaigns, their ad sets and ads, and the changes mirrored on them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.domain.models import Ad, AdSet, Campaign


class CampaignRepository(ABC):
    """The store's copy of the unit tenant's campaign structures, per platform.

    Objects are keyed by ``(platform, id)``: the same id on two platforms names two objects.
    """

    @abstractmethod
    async def save(self, campaign: Campaign) -> None:
        """Insert or replace ``campaign`` (by platform and ``campaign_id``)."""

    @abstractmethod
    async def get(self, platform: Platform, campaign_id: str) -> Campaign | None:
        """The campaign, or ``None``."""

    @abstractmethod
    async def all(self, platform: Platform | None = None) -> list[Campaign]:
        """The tenant's campaigns (on ``platform`` only, if given), ordered by
        ``created_at`` then ``campaign_id``."""

    @abstractmethod
    async def save_adset(self, adset: AdSet) -> None:
        """Insert or replace ``adset`` (by platform and ``adset_id``)."""

    @abstractmethod
    async def get_adset(self, platform: Platform, adset_id: str) -> AdSet | None:
        """The ad set, or ``None``."""

    @abstractmethod
    async def list_adsets(self, platform: Platform, campaign_id: str) -> list[AdSet]:
        """The campaign's ad sets, ordered by ``created_at`` then ``adset_id``."""

    @abstractmethod
    async def save_ads(self, ads: Sequence[Ad]) -> None:
        """Insert or replace each of ``ads`` in one statement (nothing for an empty list)."""

    @abstractmethod
    async def list_ads(self, platform: Platform, campaign_id: str) -> list[Ad]:
        """The campaign's ads, ordered by ``created_at`` then ``ad_id``."""

    @abstractmethod
    async def set_status(
        self,
        platform: Platform,
        level: EntityLevel,
        object_id: str,
        status: EntityStatus,
        at: datetime,
    ) -> None:
        """Record a new status (and ``updated_at``) of a stored campaign, ad set or ad.

        Raises ``NotFound`` when the tenant has no such object at ``level``.
        """

    @abstractmethod
    async def set_adset_budget(
        self, platform: Platform, adset_id: str, daily_budget: Decimal, at: datetime
    ) -> None:
        """Record an ad set's new daily budget (and ``updated_at``).

        Raises ``NotFound`` when the tenant has no such ad set.
        """
