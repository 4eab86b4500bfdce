"""The seeded, deterministic ad-market simulator behind the sandbox platforms and back-tests.

Per ad group and simulated day: spend is paced around the daily budget (pacing noise,
day-of-week demand) under the daily flex, the weekly cap and the audience's delivery ceiling;
the platform splits it across the ad group's ads by their value per dollar (divergent delivery);
each ad turns spend into impressions (CPM rising with spend, fatigue), clicks (CTR falling with
frequency), conversions (CVR with learning-phase penalty, overdispersed, never above clicks)
and order values. True outcomes are credited to the interaction day; the platform's reported
series sees only captured conversions and reveals them over the following days.

Randomness is drawn from streams keyed by (seed, entity key, day), so identical scenario, seed
and call sequence give identical numbers, and one ad group's numbers do not depend on which
other ad groups exist. Edits take effect from the next day not yet simulated: an ``on`` date
that is already simulated is moved to that day.
"""

from __future__ import annotations

import math
from bisect import insort
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from roasloop.domain.money import from_minor_units, quantize, to_minor_units
from roasloop.sandbox.market import _learning as learning
from roasloop.sandbox.market._attribution import reports
from roasloop.sandbox.market._day import GroupView, ad_view, day_factors, expected, simulate
from roasloop.sandbox.market._delivery import daily_cap, day_spend, weekly_cap
from roasloop.sandbox.market._params import AccountParams, Audience
from roasloop.sandbox.market._rng import Streams
from roasloop.sandbox.market._state import (
    LEARNING,
    AdGroupState,
    AdState,
    GroupDay,
    LearningState,
    ad_from_dict,
    ad_to_dict,
    group_from_dict,
    group_to_dict,
)
from roasloop.sandbox.market._types import (
    FOUR_PLACES,
    AdDayMetrics,
    TrueParameters,
    as_decimal,
    delivery_metrics,
    true_parameters,
)
from roasloop.sandbox.market.errors import InvalidInput, UnknownEntity
from roasloop.sandbox.market.scenario import Scenario

__all__ = ["AdDayMetrics", "Audience", "Market", "TrueParameters"]

_STATE_FORMAT = "roasloop.market/1"


class Market:
    """A simulated ad market for one account (see the module docstring)."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.last_simulated_day: date | None = None
        self._origin: int | None = None
        self._groups: dict[str, AdGroupState] = {}
        self._ads: dict[str, AdState] = {}
        self._params = AccountParams(scenario, seed)
        self._streams = Streams(seed)

    # ----- structure and edits ---------------------------------------------------------------

    def add_adgroup(
        self, key: str, audience: Audience, daily_budget: Decimal, on: date, *, active: bool = True
    ) -> None:
        """Create an ad group (a budget holder) that starts in learning on ``on``."""
        self._require_new(key)
        day = self._effective(on)
        self._origin = day if self._origin is None else min(self._origin, day)
        self._groups[key] = AdGroupState(
            key=key,
            audience=audience,
            budget=_cents(daily_budget),
            active=active,
            launched=day,
            learning=LearningState(LEARNING, day),
            paused_on=None if active else day,
        )

    def add_ad(
        self, key: str, adgroup_key: str, creative_key: str, on: date, *, active: bool = True
    ) -> None:
        """Add an ad showing ``creative_key``; an active new ad is a significant edit."""
        group = self._group(adgroup_key)
        self._require_new(key)
        day = self._effective(on)
        self._ads[key] = AdState(key, adgroup_key, creative_key, active, max(day, group.launched))
        insort(group.ads, key)
        if active and self.scenario.learning.reset_on_new_ad:
            self._significant_edit(group, day)

    def set_daily_budget(self, adgroup_key: str, daily_budget: Decimal, on: date) -> None:
        """Change the budget; a change above ``learning.budget_reset_threshold`` resets learning."""
        group = self._group(adgroup_key)
        new = _cents(daily_budget)
        if abs(new - group.budget) > self.scenario.learning.budget_reset_threshold * group.budget:
            self._significant_edit(group, self._effective(on))
        group.budget = new

    def set_active(self, key: str, active: bool, on: date) -> None:
        """Pause or resume an ad group or an ad; resuming a group paused ≥ 7 days resets it."""
        if key in self._ads:
            self._ads[key].active = active
            return
        group = self._group(key)
        day = self._effective(on)
        if active and not group.active and group.paused_on is not None:
            if day - group.paused_on >= self.scenario.learning.pause_reset_days:
                self._significant_edit(group, day)
            group.paused_on = None
        elif not active and group.active:
            group.paused_on = day
        group.active = active

    def set_audience(self, adgroup_key: str, audience: Audience, on: date) -> None:
        """Retarget an ad group; a different audience is a significant edit."""
        group = self._group(adgroup_key)
        if audience != group.audience:
            group.audience = audience
            self._significant_edit(group, self._effective(on))

    # ----- simulation ------------------------------------------------------------------------

    def simulate_day(self, day: date) -> None:
        """Simulate through ``day``: earlier unsimulated days first; done days are a no-op."""
        target = day.toordinal()
        last = self._last()
        if last is not None and target <= last:
            return
        if last is not None:
            start = last + 1
        else:
            start = target if self._origin is None else min(self._origin, target)
        for ordinal in range(start, target + 1):
            for key in sorted(self._groups):
                self._simulate_group(self._groups[key], ordinal)
        self.last_simulated_day = day

    def _simulate_group(self, group: AdGroupState, day: int) -> None:
        if day < group.launched:
            return
        config = self.scenario.learning
        learning.start_day(group.learning, day, config)
        status = group.learning.status
        mult = self._learning_mult(group, status)
        ads = self._deliverable(group, day) if group.active else []
        spend = 0
        if ads:
            view = self._view(group, ads, day, status, mult)
            rng = self._streams.generator(group.key, day, "day")
            spend = self._spend(group, view, day, float(rng.standard_normal()))
            events = self._deliver(ads, view, spend, rng) if spend else 0
            learning.record_events(group.learning, day, events, config)
        group.days[day] = GroupDay(status, mult, group.budget if ads else 0, spend)

    def _spend(self, group: AdGroupState, view: GroupView, day: int, z: float) -> int:
        scenario = self.scenario
        demand = math.exp(scenario.noise.pacing_sigma * z)
        demand *= scenario.seasonality.dow_spend[date.fromordinal(day).weekday()]
        ceiling = math.floor(view.ref_spend * scenario.saturation.max_spend_mult * 100)
        caps = [daily_cap(group.budget, scenario.budget), ceiling]
        if scenario.budget.weekly_cap:
            caps.append(weekly_cap(group.days, day, group.budget))
        return day_spend(group.budget, demand, caps)

    def _deliver(
        self, ads: list[AdState], view: GroupView, spend: int, rng: np.random.Generator
    ) -> int:
        records, values, owners = simulate(view, spend, rng, self.scenario)
        counts, revenue, events = reports(
            self._params, view.day_index, values, owners, len(ads), rng
        )
        for ad, record, count, money in zip(ads, records, counts, revenue, strict=True):
            record.reported_counts, record.reported_revenue = count, money
            ad.days[view.day] = record
            ad.cum_impressions += record.impressions
        return events

    # ----- queries ---------------------------------------------------------------------------

    def reported(self, ad_key: str, day: date, as_of: date) -> AdDayMetrics:
        """Platform-reported numbers for ``day`` as visible at the end of ``as_of``.

        Delivery (impressions, clicks, spend) is visible from the end of ``day``; conversions
        and their revenue arrive over the delay and reporting-lag days. Zeros if nothing.
        """
        record = self._ad(ad_key).days.get(day.toordinal())
        lag = (as_of - day).days
        if record is None or lag < 0:
            return AdDayMetrics()
        seen = slice(0, lag + 1)
        return delivery_metrics(
            record, sum(record.reported_counts[seen]), sum(record.reported_revenue[seen])
        )

    def true_outcome(self, ad_key: str, day: date) -> AdDayMetrics:
        """True conversions and revenue credited to ``day`` (all lags, no tracking loss)."""
        record = self._ad(ad_key).days.get(day.toordinal())
        if record is None:
            return AdDayMetrics()
        return delivery_metrics(record, record.conversions, record.revenue)

    def adgroup_spend(self, adgroup_key: str, day: date) -> Decimal:
        """What the ad group spent on ``day`` (zero if not simulated or not delivering)."""
        record = self._group(adgroup_key).days.get(day.toordinal())
        return from_minor_units(record.spend if record else 0)

    def daily_budget(self, adgroup_key: str) -> Decimal:
        """The ad group's current daily budget."""
        return from_minor_units(self._group(adgroup_key).budget)

    def learning_state(self, adgroup_key: str, day: date) -> str:
        """``"learning"``, ``"limited"`` or ``"active"`` at the start of ``day``.

        Simulated days return what was recorded; later days project the current state.
        """
        group = self._group(adgroup_key)
        return self._status_on(group, day.toordinal())[0]

    def is_active(self, adgroup_key: str) -> bool:
        """Whether the ad group is switched on (paused ones deliver nothing)."""
        return self._group(adgroup_key).active

    def learning_resets(self, adgroup_key: str | None = None) -> int:
        """Significant edits that sent an ad group back to learning (launch is not counted)."""
        if adgroup_key is not None:
            return self._group(adgroup_key).learning.resets
        return sum(group.learning.resets for group in self._groups.values())

    def true_parameters(self, ad_key: str, day: date) -> TrueParameters:
        """The oracle's view of one ad at the start of ``day`` (see :class:`TrueParameters`)."""
        ad = self._ad(ad_key)
        group = self._groups[ad.adgroup]
        ordinal = day.toordinal()
        status, mult = self._status_on(group, ordinal)
        view = self._view(group, [ad], ordinal, status, mult)
        return true_parameters(view, view.ads[0], day, self._params.capture_on(view.day_index))

    def expected_outcome(
        self, adgroup_key: str, daily_spend: Decimal, day: date
    ) -> tuple[Decimal, Decimal]:
        """Expected (true conversions, true revenue) if the ad group spent ``daily_spend`` on
        ``day`` in its current state: no noise, the platform's split across its deliverable ads,
        spend above the audience's delivery ceiling counting only up to the ceiling."""
        group = self._group(adgroup_key)
        ordinal = day.toordinal()
        status, mult = self._status_on(group, ordinal)
        view = self._view(group, self._deliverable(group, ordinal), ordinal, status, mult)
        ceiling = view.ref_spend * self.scenario.saturation.max_spend_mult
        conversions, revenue = expected(view, min(float(daily_spend), ceiling), self.scenario)
        return as_decimal(conversions).quantize(FOUR_PLACES), quantize(as_decimal(revenue))

    @property
    def visible_lag_days(self) -> int:
        """Days after which a day's report no longer changes."""
        return self._params.visible_lags - 1

    def adgroup_keys(self) -> list[str]:
        return sorted(self._groups)

    def ad_keys(self, adgroup_key: str | None = None) -> list[str]:
        if adgroup_key is not None:
            return list(self._group(adgroup_key).ads)
        return sorted(self._ads)

    # ----- state -----------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """The full state as JSON-compatible data; :meth:`from_state` restores it exactly."""
        return {
            "format": _STATE_FORMAT,
            "seed": self.seed,
            "scenario": self.scenario.to_dict(),
            "origin": self._origin,
            "last": self._last(),
            "adgroups": [group_to_dict(self._groups[k]) for k in sorted(self._groups)],
            "ads": [ad_to_dict(self._ads[k]) for k in sorted(self._ads)],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Market:
        """Rebuild a market from :meth:`to_state` output."""
        if state.get("format") != _STATE_FORMAT:
            raise InvalidInput("state", f"expected format {_STATE_FORMAT}")
        market = cls(Scenario.from_dict(state["scenario"]), int(state["seed"]))
        market._origin = state["origin"]
        last = state["last"]
        market.last_simulated_day = None if last is None else date.fromordinal(last)
        market._groups = {g["key"]: group_from_dict(g) for g in state["adgroups"]}
        market._ads = {a["key"]: ad_from_dict(a) for a in state["ads"]}
        return market

    # ----- helpers ---------------------------------------------------------------------------

    def _last(self) -> int | None:
        return None if self.last_simulated_day is None else self.last_simulated_day.toordinal()

    def _effective(self, on: date) -> int:
        last = self._last()
        return on.toordinal() if last is None else max(on.toordinal(), last + 1)

    def _require_new(self, key: str) -> None:
        if key in self._groups or key in self._ads:
            raise InvalidInput("key", f"{key!r} already exists")

    def _group(self, key: str) -> AdGroupState:
        try:
            return self._groups[key]
        except KeyError:
            raise UnknownEntity(f"ad group {key!r}") from None

    def _ad(self, key: str) -> AdState:
        try:
            return self._ads[key]
        except KeyError:
            raise UnknownEntity(f"ad {key!r}") from None

    def _significant_edit(self, group: AdGroupState, day: int) -> None:
        """Send the group back to learning, unless it has not delivered since it last started
        learning (launch-day setup, edits while paused): then there is nothing to forget."""
        since = group.learning.reset_day
        if any(rec.spend for d, rec in group.days.items() if d >= since):
            learning.reset(group.learning, day)

    def _deliverable(self, group: AdGroupState, day: int) -> list[AdState]:
        ads = (self._ads[key] for key in group.ads)
        return [ad for ad in ads if ad.active and ad.launched <= day]

    def _learning_mult(self, group: AdGroupState, status: str) -> float:
        progress = learning.progress(group.learning, self.scenario.learning)
        return learning.cvr_multiplier(status, progress, self._params.adgroup(group.key))

    def _status_on(self, group: AdGroupState, day: int) -> tuple[str, float]:
        record = group.days.get(day)
        if record is not None:
            return record.status, record.learning_mult
        status = learning.projected_status(group.learning, day, self.scenario.learning)
        return status, self._learning_mult(group, status)

    def _view(
        self, group: AdGroupState, ads: list[AdState], day: int, status: str, mult: float
    ) -> GroupView:
        params = self._params
        audience = params.audience_rates(group.audience)
        cpm, ctr, cvr = day_factors(self.scenario, date.fromordinal(day))
        rates = audience.rates
        base = (rates.cpm * cpm, rates.ctr * ctr, rates.cvr * cvr)
        eps = params.adgroup(group.key).saturation_eps
        views = tuple(
            ad_view(
                params,
                eps,
                ad.key,
                params.creative(ad.creative),
                self._impressions_before(ad, day),
                base,
            )
            for ad in ads
        )
        origin = self._origin if self._origin is not None else day
        return GroupView(day, day - origin, status, mult, rates.aov, audience.ref_spend, views)

    def _impressions_before(self, ad: AdState, day: int) -> int:
        last = self._last()
        if last is None or day > last:
            return ad.cum_impressions
        return sum(rec.impressions for d, rec in ad.days.items() if d < day)


def _cents(amount: Decimal) -> int:
    cents = to_minor_units(amount)
    if cents <= 0:
        raise InvalidInput("daily_budget", "a daily budget must be positive")
    return cents
