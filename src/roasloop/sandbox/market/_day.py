"""One ad group's day: expected funnel rates, their saturation, and the random draws.

Rates are floats (they are rates, not money); spend enters and revenue leaves as integer cents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from roasloop.sandbox.market._delivery import delivery_shares, split_cents
from roasloop.sandbox.market._params import AccountParams, CreativeParams
from roasloop.sandbox.market._state import LEARNING, AdDay
from roasloop.sandbox.market.scenario import Scenario

IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class AdView:
    """One deliverable ad at the start of a day, before saturation and noise."""

    key: str
    cpm: float
    ctr: float
    cvr: float
    eps: float
    fatigue: float
    fatigue_cpm: float
    warmup: float


@dataclass(frozen=True)
class GroupView:
    """One ad group at the start of a day: state-dependent multipliers and its ads."""

    day: int
    day_index: int
    status: str
    learning_mult: float
    aov: float
    ref_spend: float
    ads: tuple[AdView, ...]


def fatigue_multipliers(
    cum_impressions: int, audience: float, beta: float, scenario: Scenario
) -> tuple[float, float]:
    """(CTR multiplier, CPM multiplier) from frequency fatigue (§2 takeaway, §7 fatigue)."""
    ctr = max(scenario.fatigue.floor, (1.0 + cum_impressions / audience) ** -beta)
    return ctr, ctr**-scenario.fatigue.cpm_penalty_gamma


def ad_view(
    params: AccountParams,
    group_eps: float,
    key: str,
    creative: CreativeParams,
    cum_impressions: int,
    base: tuple[float, float, float],
) -> AdView:
    """Rates of one ad given the group's day-level (cpm, ctr, cvr) and its impressions so far."""
    fatigue, fatigue_cpm = fatigue_multipliers(
        cum_impressions, params.effective_audience(key), creative.fatigue_beta, params.scenario
    )
    ramp = min(1.0, cum_impressions / creative.warmup_impressions)
    warmup = 1.0 - creative.warmup_penalty * (1.0 - ramp)
    return AdView(
        key=key,
        cpm=base[0] * fatigue_cpm,
        ctr=base[1] * creative.ctr_mult * fatigue,
        cvr=base[2] * creative.cvr_mult * warmup,
        eps=group_eps if creative.saturation_eps is None else creative.saturation_eps,
        fatigue=fatigue,
        fatigue_cpm=fatigue_cpm,
        warmup=warmup,
    )


def day_factors(scenario: Scenario, day: date) -> tuple[float, float, float]:
    """Day-of-week and month multipliers on (cpm, ctr, cvr) (§7 dow, month_cpm)."""
    season, weekday = scenario.seasonality, day.weekday()
    cpm = season.dow_cpm[weekday] * season.month_cpm[day.month - 1]
    return cpm, season.dow_ctr[weekday], season.dow_cvr[weekday]


def saturated(ad: AdView, pressure: float, scenario: Scenario) -> tuple[float, float, float]:
    """(cpm, ctr, cvr) at audience pressure s/s_ref ≥ 1: CPA ∝ pressure^eps, split per §7."""
    if pressure <= 1.0:
        return ad.cpm, ad.ctr, ad.cvr
    sat = scenario.saturation
    log_p = math.log(pressure) * ad.eps
    return (
        ad.cpm * math.exp(log_p * sat.split_cpm),
        ad.ctr * math.exp(-log_p * sat.split_ctr),
        ad.cvr * math.exp(-log_p * sat.split_cvr),
    )


def pressure(view: GroupView, spend: float) -> float:
    return max(1.0, spend / view.ref_spend)


def value_per_dollar(ad: AdView, press: float, scenario: Scenario) -> float:
    cpm, ctr, cvr = saturated(ad, press, scenario)
    return 1000.0 * ctr * cvr / cpm


def expected(view: GroupView, spend: float, scenario: Scenario) -> tuple[float, float]:
    """Expected (true conversions, true revenue) if the group spends ``spend`` dollars."""
    if spend <= 0 or not view.ads:
        return 0.0, 0.0
    press = pressure(view, spend)
    values = [value_per_dollar(ad, press, scenario) for ad in view.ads]
    shares = delivery_shares(values, scenario.delivery)
    conversions = (
        spend * view.learning_mult * sum(s * v for s, v in zip(shares, values, strict=True))
    )
    return conversions, conversions * view.aov


def simulate(
    view: GroupView, spend: int, rng: np.random.Generator, scenario: Scenario
) -> tuple[list[AdDay], IntArray, IntArray]:
    """Draw the day for every ad: (records without reports, order values in cents, the ad index
    of each order). Reports are added by the attribution step."""
    noise_mult = scenario.learning.noise_mult_during if view.status == LEARNING else 1.0
    press = pressure(view, spend / 100.0)
    rates = [saturated(ad, press, scenario) for ad in view.ads]
    noise = scenario.delivery.noise
    perceived = [
        ctr * cvr / cpm * math.exp(noise * z)
        for (cpm, ctr, cvr), z in zip(rates, rng.standard_normal(len(rates)).tolist(), strict=True)
    ]
    cents = split_cents(spend, delivery_shares(perceived, scenario.delivery))
    sigma = scenario.noise.cpm_daily_sigma * noise_mult
    # +σ²/2 makes E[1/noise] = 1, so impressions stay unbiased against expected().
    cpm_noise = math.exp(sigma * float(rng.standard_normal()) + sigma * sigma / 2.0)
    shape = scenario.noise.conversion_shape / noise_mult**2
    records = [
        _funnel(rate, ad_cents, cpm_noise, shape, view.learning_mult, rng)
        for rate, ad_cents in zip(rates, cents, strict=True)
    ]
    values, owners = _order_values(view.aov, [r.conversions for r in records], rng, scenario)
    if values.size:
        revenue = np.bincount(owners, weights=values, minlength=len(records)).tolist()
        for record, cents_total in zip(records, revenue, strict=True):
            record.revenue = round(cents_total)
    return records, values, owners


def _funnel(
    rates: tuple[float, float, float],
    cents: int,
    cpm_noise: float,
    shape: float,
    learning_mult: float,
    rng: np.random.Generator,
) -> AdDay:
    if cents <= 0:
        return AdDay(0, 0, 0, 0, 0, [], [])
    cpm, ctr, cvr = rates
    impressions = int(rng.poisson(cents * 10.0 / (cpm * cpm_noise)))
    clicks = int(rng.binomial(impressions, min(1.0, ctr))) if impressions else 0
    conversions = 0
    if clicks:
        rate = cvr * learning_mult * float(rng.gamma(shape, 1.0 / shape))
        conversions = int(rng.binomial(clicks, min(1.0, rate)))  # never more than clicks
    return AdDay(impressions, clicks, cents, conversions, 0, [], [])


def _order_values(
    aov: float, conversions: list[int], rng: np.random.Generator, scenario: Scenario
) -> tuple[IntArray, IntArray]:
    """Per-order values in cents, LN with mean ``aov`` (§7 noise.order_value)."""
    sigma = scenario.noise.order_value_sigma
    total = sum(conversions)
    mu = math.log(aov * 100.0) - sigma * sigma / 2.0
    values = np.rint(rng.lognormal(mu, sigma, total)).astype(np.int64) if total else _EMPTY
    owners = np.repeat(np.arange(len(conversions), dtype=np.int64), conversions)
    return values, owners


_EMPTY: IntArray = np.zeros(0, dtype=np.int64)
