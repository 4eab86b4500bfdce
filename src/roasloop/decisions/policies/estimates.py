"""Per-ad-set posteriors for the roasloop policy: pooling, tracking calibration, draws.

Two views of every ad set are drawn: *now* — what its dollars earn tomorrow, a learning ad
set at its learning rate (budget moves are reversible, so they follow the present) — and
*steady* — what it earns once learning is over, learning days judged against a learning
allowance (a pause is final, so it judges the ad set, not its first week). Past learning,
the two coincide. What the ad sets share is their conversions per click; each one's clicks per
dollar is its own measurement (:func:`click_offsets`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from roasloop.decisions.policies.config import RoasloopConfig
from roasloop.decisions.policies.context import ACTIVE, LEARNING, PolicyContext
from roasloop.decisions.policies.evidence import Evidence, gather
from roasloop.decisions.policies.posterior import CurvePrior, fit_curve, order_value
from roasloop.decisions.policies.tracking import reported_share
from roasloop.decisions.snapshot import AdSetSnapshot, Targets
from roasloop.domain.enums import LearningStatus

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
#: Optimisation events that end learning, and the window they must fall in (market_benchmarks §3).
EXIT_EVENTS, LEARNING_DAYS = 50, 7


@dataclass(frozen=True, slots=True)
class PooledCampaign:
    """Pooled quantities: the break-even ROAS every marginal dollar must earn, the order value,
    the tracking share, and the pooled evidence of both views."""

    break_even: float
    aov: float
    now: tuple[float, float]  # (weighted conversions, visible spend)
    steady: tuple[float, float]
    spread: float = 0.5  # between-ad-set sd of log conversion rates
    reported_share: float = 1.0

    @property
    def break_even_rate(self) -> float:
        """*Reported* conversions per dollar at break-even (tracking share included)."""
        return self.break_even / self.aov * self.reported_share

    @property
    def break_even_cpa(self) -> float:
        """*Reported* cost per conversion at break-even."""
        return 1.0 / self.break_even_rate


@dataclass(frozen=True, slots=True)
class Estimate:
    """One ad set's posterior draws of revenue per dollar at its budget tomorrow (now and
    steady) and of its CPA elasticity; ``evidence`` is the steady view's."""

    snapshot: AdSetSnapshot
    evidence: Evidence
    status: LearningStatus
    roas: FloatArray
    steady: FloatArray
    eps: FloatArray

    @property
    def budget(self) -> float:
        return float(self.snapshot.daily_budget)


@dataclass(frozen=True, slots=True)
class Views:
    now: dict[str, Evidence]
    steady: dict[str, Evidence]


def gather_views(
    snapshots: Sequence[AdSetSnapshot],
    context: PolicyContext,
    config: RoasloopConfig,
    skip: frozenset[date],
) -> Views:
    def one(snapshot: AdSetSnapshot, learning: bool) -> Evidence:
        return gather(
            snapshot,
            context.as_of,
            context.maturity,
            window_days=config.window_days,
            half_life_days=config.half_life_days,
            min_visible=config.min_visible,
            skip=skip,
            learning_until=learning_until(snapshot, context) if learning else None,
            learning_discount=config.learning_discount,
            click_half_life=config.click_half_life,
        )

    return Views(
        {s.adset_id: one(s, False) for s in snapshots},
        {s.adset_id: one(s, True) for s in snapshots},
    )


def status(snapshot: AdSetSnapshot, context: PolicyContext) -> LearningStatus:
    """The platform's learning status, else: learning until 50 conversions or 7 days."""
    known = context.learning.get(snapshot.adset_id)
    if known is not None:
        return known
    since = context.edited.get(snapshot.adset_id)
    points = [p for p in snapshot.history if since is None or p.day >= since]
    events = sum(p.metrics.conversions for p in points)
    return LEARNING if len(points) < LEARNING_DAYS and events < EXIT_EVENTS else ACTIVE


def learning_until(snapshot: AdSetSnapshot, context: PolicyContext) -> date | None:
    """The day the ad set's learning phase ended (or ends): the first week after launch, and
    everything so far while the platform still reports it learning."""
    if not snapshot.history:
        return None
    if status(snapshot, context) == LEARNING:
        return context.as_of + timedelta(days=1)
    return snapshot.history[0].day + timedelta(days=LEARNING_DAYS)


def pool(
    views: Views,
    targets: Targets,
    snapshots: Sequence[AdSetSnapshot],
    context: PolicyContext,
    config: RoasloopConfig,
    skip: frozenset[date],
) -> PooledCampaign | None:
    """The campaign's pooled view; ``None`` when neither targets nor data give an order value."""
    now = list(views.now.values())
    conversions = sum(e.conversions for e in now)
    revenue = sum(e.revenue for e in now)
    known = (
        float(targets.target_cpa * targets.target_roas)
        if targets.target_cpa and targets.target_roas
        else None
    )
    prior = known or (revenue / conversions if conversions >= 1 else None)
    if prior is None:
        return None
    n0 = config.aov_prior_orders
    aov = (revenue + n0 * prior) / (conversions + n0)
    if targets.target_roas:
        break_even = float(targets.target_roas)
    elif targets.target_cpa:
        break_even = aov / float(targets.target_cpa)
    else:
        return None
    steady = list(views.steady.values())
    campaign = PooledCampaign(
        break_even,
        aov,
        (conversions, sum(e.exposure for e in now)),
        (sum(e.conversions for e in steady), sum(e.exposure for e in steady)),
        spread(now, config),
    )
    share = reported_share(
        snapshots,
        context.store_revenue,
        as_of=context.as_of,
        maturity=context.maturity,
        window_days=config.window_days,
        min_visible=config.min_visible,
        skip=skip,
        order_value=aov,
        default=context.reported_share,
    )
    return replace(campaign, reported_share=share)


def click_offsets(evidence: Sequence[Evidence]) -> list[float]:
    """log clicks per dollar now of each: an ad set's log rate per dollar is its log
    conversions per click plus this, and only the former is pooled. All 0 (pooling per
    dollar) unless every one of them has clicks."""
    rates = [e.clicks_per_dollar for e in evidence]
    if any(r is None for r in rates):
        return [0.0] * len(rates)
    return [math.log(r) for r in rates if r is not None]


def spread(evidence: Sequence[Evidence], config: RoasloopConfig) -> float:
    """Between-ad-set sd of log conversion rates (per click, when clicks are known): the
    configured spread, updated by how much the campaign's ad sets differ beyond their
    sampling noise (empirical Bayes, worth ``spread_prior_sets`` ad sets of prior weight)."""
    spent = [e for e in evidence if e.exposure > 0]
    prior = config.rate_spread**2
    if len(spent) < 2:
        return config.rate_spread
    offsets = click_offsets(spent)
    pairs = zip(spent, offsets, strict=True)
    logs = [math.log((e.conversions + 0.5) / e.exposure) - k for e, k in pairs]
    mean = sum(logs) / len(logs)
    observed = sum((v - mean) ** 2 for v in logs) / (len(logs) - 1)
    noise = sum(1.0 / (e.conversions + 0.5) for e in spent) / len(spent)
    excess = max(observed - noise, 0.0)
    k, n = config.spread_prior_sets, len(spent) - 1
    low, high = config.spread_bounds
    return min(max(math.sqrt((k * prior + n * excess) / (k + n)), low), high)


def estimate(
    snapshot: AdSetSnapshot,
    views: Views,
    campaign: PooledCampaign,
    context: PolicyContext,
    config: RoasloopConfig,
    rng: np.random.Generator,
) -> Estimate:
    """Posterior draws for one active ad set (see the module doc)."""
    key = snapshot.adset_id
    anchor = max(float(snapshot.daily_budget), 0.01)
    aov = order_value(views.now[key], campaign.aov, config.aov_prior_orders, config.aov_spread)
    values = aov.draw(rng, config.samples) / campaign.reported_share
    learning = status(snapshot, context)
    steady_rate, eps = _rate_draws(
        views.steady, key, campaign.steady, anchor, campaign, config, rng
    )
    now_rate = steady_rate
    if learning == LEARNING:  # still learning: tomorrow is a learning day too
        now_rate, eps = _rate_draws(views.now, key, campaign.now, anchor, campaign, config, rng)
    return Estimate(
        snapshot,
        views.steady[key],
        learning,
        np.exp(now_rate) * values,
        np.exp(steady_rate) * values,
        eps,
    )


def _sibling_center(
    evidence: Mapping[str, Evidence],
    key: str,
    pooled: tuple[float, float],
    campaign: PooledCampaign,
    config: RoasloopConfig,
) -> tuple[float, float]:
    """Centre (log conversions per dollar) and variance of an ad set's prior: the mean of its
    siblings' log rates, one vote each — a spend-weighted pool would let the campaign's
    winner flatter its losers — each sibling smoothed towards break-even by half a conversion.
    Leave-one-out, so an ad set's own data never counts twice. With clicks known, what is
    pooled is conversions per click, and the ad set's own clicks per dollar is added back:
    its click-through and CPM are measured, not borrowed."""
    own = evidence[key]
    k0 = config.campaign_prior_conversions
    rate_be = campaign.break_even_rate
    siblings = [e for k, e in evidence.items() if k != key and e.exposure > 0]
    conversions = pooled[0] - own.conversions
    if not siblings:
        return math.log(rate_be), 1.0 / k0
    *offsets, own_offset = click_offsets([*siblings, own])
    logs = [
        math.log((e.conversions + 0.5) / (e.exposure + 0.5 / rate_be)) - offset
        for e, offset in zip(siblings, offsets, strict=True)
    ]
    center = sum(logs) / len(logs) + own_offset
    return center, campaign.spread**2 / len(logs) + 1.0 / (conversions + k0)


def _rate_draws(
    evidence: Mapping[str, Evidence],
    key: str,
    pooled: tuple[float, float],
    anchor: float,
    campaign: PooledCampaign,
    config: RoasloopConfig,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    own = evidence[key]
    center, center_var = _sibling_center(evidence, key, pooled, campaign, config)
    prior = CurvePrior(
        log_rate=center,
        log_rate_sd=math.sqrt(campaign.spread**2 + center_var),
        trend_mean=config.trend_mean,
        trend_sd=config.trend_sd,
        eps_mean=config.eps_mean,
        eps_sd=config.eps_sd,
        dispersion=config.dispersion,
    )
    return fit_curve(own, anchor, prior, config.saturation_knee).draw(rng, config.samples)
