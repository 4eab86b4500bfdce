"""ShopOrders port: the merchant's own record of the revenue its ad traffic brought in.

A shop connector (a store platform's orders API, read through UTM tags or the platforms'
click ids) implements it. When one is connected, the budget policy compares this revenue
with what the ad platform reports and measures how much its tracking misses or double-counts
(:mod:`roasloop.decisions.policies.tracking`); without one it trusts the reports.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from roasloop.domain.enums import Platform


@dataclass(frozen=True, slots=True)
class StoreRevenue:
    """Store revenue on one day from orders attributed to one ad campaign's traffic.

    ``revenue`` is a ``Decimal`` in the ad account's currency, major units. ``adset_id``
    names the ad set the store attributes the orders to; ``None`` when it knows only the
    campaign (say, from a campaign-level UTM tag).
    """

    day: date
    revenue: Decimal
    adset_id: str | None = None


class ShopOrders(ABC):
    """The merchant's store, as far as revenue from ad traffic goes.

    Contract:

    * days are calendar days in the ad account's time zone, an order dated by the ad
      interaction it is attributed to, as the ad platforms credit conversions;
    * each order counts once, at the finest level the store knows (an ad set's row, or else
      the campaign's), net of refunds known by the time of the call;
    * a day without attributed orders may be left out (it means zero);
    * failures raise :class:`roasloop.errors.RoasloopError` subclasses; a caller that
      cannot read the store decides as if none were connected.
    """

    @abstractmethod
    async def revenue(
        self, tenant_id: str, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[StoreRevenue]:
        """The store's revenue from ``campaign_id``'s traffic, ``start``..``end`` inclusive."""


def daily_totals(rows: Iterable[StoreRevenue]) -> dict[date, Decimal]:
    """The campaign's store revenue per day: its ad sets' rows and its own, summed."""
    totals: dict[date, Decimal] = {}
    for row in rows:
        totals[row.day] = totals.get(row.day, Decimal(0)) + row.revenue
    return totals
