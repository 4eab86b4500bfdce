"""A scenario resolved for one seed: every drawn parameter as a plain float.

Draws are keyed by name (``unit_normal(seed, "base", "cpm")``), so adding a parameter or an
entity never shifts another's value. Nothing here is serialised: it is recomputed from
(scenario, seed) and is therefore identical after ``Market.from_state``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from typing import Any, TypeVar

import numpy as np

from roasloop.sandbox.market import _calibration as cal
from roasloop.sandbox.market._rng import unit_normal
from roasloop.sandbox.market.errors import InvalidInput
from roasloop.sandbox.market.scenario import Param, Scenario, Segment

T = TypeVar("T")
_ONE = Param(value=1.0)
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
Schedule = tuple[FloatArray, FloatArray | None, float]


@dataclass(frozen=True)
class Audience:
    """Who an ad group targets: ISO alpha-2 countries and age buckets (empty = all adults)."""

    countries: tuple[str, ...]
    age_buckets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.countries:
            raise InvalidInput("countries", "an audience needs at least one country")
        unknown = [age for age in self.age_buckets if age not in cal.AGE_BUCKETS]
        if unknown:
            raise InvalidInput("age_buckets", f"unknown age buckets {unknown}")

    @property
    def ages(self) -> tuple[str, ...]:
        return self.age_buckets or cal.ADULT_AGES

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(cal.COUNTRY_REGION.get(c.upper(), "other") for c in self.countries)

    def to_dict(self) -> dict[str, Any]:
        return {"countries": list(self.countries), "age_buckets": list(self.age_buckets)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Audience:
        return cls(tuple(data["countries"]), tuple(data["age_buckets"]))


@dataclass(frozen=True)
class Rates:
    """Multiplicative rates (or multipliers) on the four funnel quantities."""

    cpm: float
    ctr: float
    cvr: float
    aov: float

    def __mul__(self, other: Rates) -> Rates:
        return Rates(
            self.cpm * other.cpm, self.ctr * other.ctr, self.cvr * other.cvr, self.aov * other.aov
        )


@dataclass(frozen=True)
class AudienceRates:
    """An audience's expected rates (before creative, day and state effects) and its s_ref."""

    rates: Rates
    ref_spend: float


@dataclass(frozen=True)
class CreativeParams:
    ctr_mult: float
    cvr_mult: float
    fatigue_beta: float
    saturation_eps: float | None
    warmup_penalty: float
    warmup_impressions: int


@dataclass(frozen=True)
class AdGroupParams:
    saturation_eps: float
    learning_penalty: float
    limited_penalty: float


class AccountParams:
    """Scenario-level draws for one seed, plus cached per-entity draws."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.base = self._base_rates()
        self.regions = {
            name: self._segment("region", name, seg) for name, seg in scenario.regions.items()
        }
        self.ages = {name: self._segment("age", name, seg) for name, seg in scenario.ages.items()}
        attribution = scenario.attribution
        self.capture_rate = min(1.0, self._draw(attribution.capture_rate, "capture_rate"))
        self.view_through = self._draw(attribution.view_through_share, "view_through")
        self.outages = [
            self._window("outage", i, o.start_day, o.length_days, o.capture, o.probability)
            for i, o in enumerate(attribution.outages)
        ]
        self.duplicates = [
            self._window("duplicate", i, d.start_day, d.length_days, d.multiplier, d.probability)
            for i, d in enumerate(attribution.duplicate_bugs)
        ]
        self.delay_cdf = _cdf(attribution.delay_pmf)
        self.report_cdf = _cdf(attribution.report_lag_pmf)
        self.visible_lags = len(attribution.delay_pmf) + len(attribution.report_lag_pmf) - 1
        self.creative = cache(self._creative)
        self.adgroup = cache(self._adgroup)
        self.effective_audience = cache(self._effective_audience)
        self.audience_rates = cache(self._audience_rates)
        # (capture by conversion lag, duplication by lag or None, view-through share)
        self.tracking_schedule = cache(self._tracking_schedule)

    def _draw(self, param: Param, *parts: object) -> float:
        return param.at(unit_normal(self.seed, *parts)) if param.dist != "fixed" else param.value

    def _base_rates(self) -> Rates:
        base = self.scenario.base
        z = {name: unit_normal(self.seed, "base", name) for name in ("cpm", "ctr", "cvr", "aov")}
        z_ctr = _correlate(base.cpm_ctr_corr, z["cpm"], z["ctr"])
        z_cvr = _correlate(base.aov_cvr_corr, z["aov"], z["cvr"])
        return Rates(
            base.cpm.at(z["cpm"]), base.ctr.at(z_ctr), base.cvr.at(z_cvr), base.aov.at(z["aov"])
        )

    def _segment(self, kind: str, name: str, seg: Segment) -> tuple[Rates, float]:
        draws = [self._draw(getattr(seg, f), kind, name, f) for f in ("cpm", "ctr", "cvr", "aov")]
        return Rates(*draws), seg.size

    def _window(
        self, kind: str, index: int, start: Param, length: Param, level: Param, probability: float
    ) -> tuple[int, int, float]:
        occurs = unit_normal(self.seed, kind, index, "occurs") < _probit(probability)
        if not occurs:
            return (0, 0, 1.0)
        first = round(self._draw(start, kind, index, "start"))
        days = max(1, round(self._draw(length, kind, index, "length")))
        return (first, first + days, self._draw(level, kind, index, "level"))

    def capture_on(self, day_index: int) -> float:
        """Share of true conversions the platform's tracking sees on scenario day ``day_index``."""
        level = self.capture_rate
        for first, end, capture in self.outages:
            if first <= day_index < end:
                level = min(level, capture)
        return level

    def duplication_on(self, day_index: int) -> float:
        """Mean reports per captured conversion on scenario day ``day_index`` (dedup bugs)."""
        factor = 1.0
        for first, end, multiplier in self.duplicates:
            if first <= day_index < end:
                factor *= multiplier
        return factor

    def _tracking_schedule(self, day_index: int) -> Schedule:
        lags = range(day_index, day_index + self.delay_cdf.size)
        capture = np.array([self.capture_on(t) for t in lags])
        duplication = np.array([self.duplication_on(t) for t in lags])
        return capture, (duplication if np.any(duplication != 1.0) else None), self.view_through

    def _creative(self, key: str) -> CreativeParams:
        defaults = self.scenario.creative_defaults
        spec = self.scenario.creatives.get(key, defaults)
        ctr = _pick(spec.ctr_mult, _pick(defaults.ctr_mult, _ONE))
        cvr = _pick(spec.cvr_mult, _pick(defaults.cvr_mult, _ONE))
        eps = _pick(spec.saturation_eps, defaults.saturation_eps)
        beta = _pick(spec.fatigue_beta, _pick(defaults.fatigue_beta, self.scenario.fatigue.beta))
        return CreativeParams(
            ctr_mult=self._draw(ctr, "creative", key, "ctr"),
            cvr_mult=self._draw(cvr, "creative", key, "cvr"),
            fatigue_beta=beta,
            saturation_eps=None if eps is None else self._draw(eps, "creative", key, "eps"),
            warmup_penalty=spec.warmup_penalty,
            warmup_impressions=spec.warmup_impressions,
        )

    def _adgroup(self, key: str) -> AdGroupParams:
        learning = self.scenario.learning
        return AdGroupParams(
            saturation_eps=self._draw(self.scenario.saturation.eps, "adgroup", key, "eps"),
            learning_penalty=self._draw(learning.penalty, "adgroup", key, "penalty"),
            limited_penalty=self._draw(learning.limited_penalty, "adgroup", key, "limited"),
        )

    def _effective_audience(self, ad_key: str) -> float:
        return self._draw(self.scenario.fatigue.effective_audience, "ad", ad_key, "audience")

    def _audience_rates(self, audience: Audience) -> AudienceRates:
        region_mult, region_size = _mixture([self.regions[r] for r in audience.regions])
        age_mult, age_size = _mixture([self.ages[a] for a in audience.ages])
        ref = self.scenario.saturation.ref_spend * region_size * age_size
        return AudienceRates(self.base * region_mult * age_mult, ref)


def _pick(own: T | None, fallback: T) -> T:
    """A creative's own setting, else the fallback."""
    return fallback if own is None else own


def _mixture(parts: list[tuple[Rates, float]]) -> tuple[Rates, float]:
    """Size-weighted mean multipliers of several segments, and their total size [X]."""
    total = sum(size for _, size in parts)
    fields = [
        sum(getattr(r, f) * size for r, size in parts) / total for f in Rates.__dataclass_fields__
    ]
    return Rates(*fields), total


def _correlate(rho: float, anchor: float, own: float) -> float:
    return rho * anchor + math.sqrt(1.0 - rho * rho) * own


def _probit(probability: float) -> float:
    if probability >= 1.0:
        return math.inf
    if probability <= 0.0:
        return -math.inf
    return NormalDist().inv_cdf(probability)


def _cdf(pmf: list[float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    cdf = np.cumsum(np.asarray(pmf, dtype=np.float64))
    cdf[-1] = 1.0
    return cdf
