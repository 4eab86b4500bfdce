"""What a policy is shown: each ad set's history as the platform would *report* it.

Conversions and revenue come from ``Market.reported`` as of the report day (attribution delay,
processing lag, tracking loss, duplicates), never from the truth. A day whose report can no
longer change is cached. Separately, and only at the campaign level, the merchant's store
revenue (the §8 "compare with store orders" signal) is available when the run allows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from roasloop.backtest.campaigns import MarketCampaign
from roasloop.decisions.snapshot import AdSetSnapshot, DailyPoint
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals
from roasloop.sandbox.market import Market


class ReportView:
    """Snapshots of a campaign's ad sets from the market's reports."""

    def __init__(self, market: Market, campaign: MarketCampaign, start: date) -> None:
        self.market = market
        self.campaign = campaign
        self.start = start
        self._final: dict[tuple[str, date], MetricTotals] = {}
        self._store: dict[date, Decimal] = {}

    def snapshots(self, as_of: date, active: Mapping[str, bool]) -> list[AdSetSnapshot]:
        """Every ad set with its daily history from launch through ``as_of`` (oldest first)."""
        days = [self.start + timedelta(days=i) for i in range((as_of - self.start).days + 1)]
        return [
            AdSetSnapshot(
                adset_id=group,
                name=group,
                status=EntityStatus.ACTIVE if active[group] else EntityStatus.PAUSED,
                daily_budget=self.market.daily_budget(group),
                history=tuple(DailyPoint(day, self.day(group, day, as_of)) for day in days),
            )
            for group in self.campaign.groups
        ]

    def store_revenue(self, as_of: date) -> dict[date, Decimal]:
        """The merchant's store revenue from the campaign's traffic, per day through ``as_of``.

        A simplification: orders are dated by the ad interaction, as the platform credits them.
        """
        for offset in range((as_of - self.start).days + 1):
            day = self.start + timedelta(days=offset)
            if day not in self._store:
                rows = (self.market.true_outcome(ad, day) for ad in self.campaign.ads.values())
                self._store[day] = sum((row.revenue for row in rows), Decimal(0))
        return {day: value for day, value in self._store.items() if day <= as_of}

    def day(self, group: str, day: date, as_of: date) -> MetricTotals:
        """The ad group's reported totals for ``day`` as visible at the end of ``as_of``."""
        key = (group, day)
        cached = self._final.get(key)
        if cached is not None:
            return cached
        row = self.market.reported(self.campaign.ads[group], day, as_of)
        totals = MetricTotals(
            impressions=row.impressions,
            clicks=row.clicks,
            conversions=row.conversions,
            spend=row.spend,
            revenue=row.revenue,
        )
        if (as_of - day).days >= self.market.visible_lag_days:
            self._final[key] = totals
        return totals
