"""Performance: the platforms' daily numbers per ad (``performance_daily``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date

from roasloop.domain.enums import Platform
from roasloop.domain.models import PerformanceDaily


class PerformanceRepository(ABC):
    """The unit tenant's ad-days, as last fetched from the platforms."""

    @abstractmethod
    async def upsert(self, rows: Sequence[PerformanceDaily]) -> int:
        """Insert or replace by (platform, ad, day) in one statement; return ``len(rows)``.

        Raises ``InvalidParameter`` (field ``rows``) when a row is another tenant's.
        """

    @abstractmethod
    async def for_campaign(
        self, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[PerformanceDaily]:
        """The campaign's rows with ``start <= day <= end``, ordered by ``day`` then ``ad_id``."""
