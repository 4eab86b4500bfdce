"""The roasloop budget policy: decisions on posteriors, marginal-ROAS allocation, safe steps.

Each morning, for the campaign's active ad sets (reference notes §5.2; tunables and their
reasons in :mod:`.config`):

1. **Evidence**: reported days once a quarter of their conversions is expected in the
   report (the platform's delay profile; the report day itself qualifies), weighted by their
   visible share and faded with a 10-day half-life
   (:mod:`.evidence`); a day's exposure is its clicks at today's clicks per dollar, since
   delivery (clicks, spend) is reported in full the same evening and only conversions lag.
   Days on which the whole campaign's tracking jumped or collapsed are left out, and while
   such a day is among the last three nothing is changed (:mod:`.anomaly`). When the store's
   revenue is known, reports are calibrated against it (:mod:`.tracking`).
2. **Posterior** per ad set of revenue per dollar on a drifting power curve that saturates
   above a knee (``saturation_knee``; below it marginal ROAS = average ROAS), with a
   hierarchical prior pooling the campaign's other ad sets' conversions per click — an ad
   set's own click-through and CPM are measured, not borrowed (:mod:`.posterior`) — in two
   views: tomorrow's rate and the steady rate after learning (:mod:`.estimates`).
3. **Pause** (final) on at least three break-even conversions of evidence when (a) even at
   tomorrow's lowest reachable budget the steady ROAS reaches break-even with probability
   < 4 %; or, after learning and with that probability < 25 %, (b) the spend since the last
   conversion exceeds 6 × the break-even CPA (P ≈ 0.25 % if CPA were on target — the seed's
   "3 days without conversions" fires 22–47 % of the time on a healthy small ad set).
4. **Allocate** the campaign budget over the others by equalising marginal ROAS on one
   Thompson draw of every curve, never below break-even (:mod:`.allocation`); each ad set
   moves at most ± ``step_cap`` (default: the platform's no-reset step) and stays above the
   platform minimum; a move — or its half or quarter — goes ahead only if the posterior gives
   the moved dollars' ROAS ≥ 65 % odds of being on its side of the price; raises wait until
   the day after the last change is reported (two days between raises).

5. **Tell** the merchant when the pooled evidence says the campaign as a whole is below
   break-even (:mod:`.campaign_health`): stopping a campaign is their call, not a pause rule's.

The active budgets never sum above the campaign budget. Every decision carries a reason key
(see :mod:`roasloop.i18n`) and the numbers behind it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np

from roasloop.decisions.policies import estimates as est
from roasloop.decisions.policies.allocation import Response, allocate, pressure
from roasloop.decisions.policies.anomaly import find_anomalies
from roasloop.decisions.policies.campaign_cap import fit_to_campaign_budget
from roasloop.decisions.policies.campaign_health import below_break_even
from roasloop.decisions.policies.config import RoasloopConfig, config_for
from roasloop.decisions.policies.context import LEARNING, PolicyContext
from roasloop.decisions.policies.estimates import Estimate, PooledCampaign
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, Targets
from roasloop.domain.enums import BudgetAction, EntityStatus, LearningStatus

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
CENT = Decimal("0.01")
#: Smaller budget moves are not worth an edit.
MIN_CHANGE = Decimal("0.05")

__all__ = ["Assessment", "RoasloopConfig", "assess", "decide"]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The decisions, and campaign-level findings (message key + values) shown beside them."""

    decisions: list[BudgetDecision]
    findings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def decide(
    snapshots: Sequence[AdSetSnapshot],
    targets: Targets,
    context: PolicyContext,
    config: RoasloopConfig | None = None,
) -> list[BudgetDecision]:
    """Pauses first, then budget changes; see the module docstring."""
    return assess(snapshots, targets, context, config).decisions


def assess(
    snapshots: Sequence[AdSetSnapshot],
    targets: Targets,
    context: PolicyContext,
    config: RoasloopConfig | None = None,
) -> Assessment:
    """Decisions plus findings (a tracking anomaly, a campaign below break-even) for one
    campaign; without ``config``, the defaults with the context's pause stance."""
    config = config or config_for(context.pause_stance)
    anomalies = find_anomalies(snapshots, context.as_of, context.maturity, config.anomaly)
    recent = [a for a in anomalies if (context.as_of - a.day).days <= 3]
    if recent:
        worst = min(recent, key=lambda a: abs(math.log(max(a.ratio, 1e-3))))
        values = {"day": worst.day.isoformat(), "ratio": round(worst.ratio, 2)}
        return Assessment([], [("finding_tracking_anomaly", values)])
    skip = frozenset(a.day for a in anomalies)
    views = est.gather_views(snapshots, context, config, skip)
    campaign = est.pool(views, targets, snapshots, context, config, skip)
    active = [s for s in snapshots if s.status is EntityStatus.ACTIVE]
    if campaign is None or not active:
        return Assessment([])
    rng = np.random.default_rng([context.seed, context.as_of.toordinal()])
    estimates = [est.estimate(s, views, campaign, context, config, rng) for s in active]
    pauses = [d for d in (_pause(e, campaign, context, config) for e in estimates) if d]
    paused = {d.adset_id for d in pauses}
    kept = [e for e in estimates if e.snapshot.adset_id not in paused]
    changes = _rebalance(kept, campaign, context, config)
    decisions = fit_to_campaign_budget([*pauses, *changes], snapshots, context.campaign_budget)
    spending = [views.steady[s.adset_id] for s in active]
    oldest = max(s.days_running for s in active)
    finding = below_break_even(spending, campaign, config, oldest)
    return Assessment(decisions, [finding] if finding else [])


def _pause(
    estimate: Estimate, campaign: PooledCampaign, context: PolicyContext, config: RoasloopConfig
) -> BudgetDecision | None:
    """The first of the two pause rules that fires (see the module docstring), or None."""
    if estimate.evidence.exposure * campaign.break_even_rate < config.min_evidence_conversions:
        return None
    lowest = max(float(context.min_budget), estimate.budget * (1.0 - float(context.step_cap)))
    shift = pressure(lowest, estimate.budget, config.saturation_knee)
    at_lowest = estimate.steady * np.exp(-estimate.eps * shift)
    steady = float(np.mean(at_lowest >= campaign.break_even))
    if steady < config.pause_chance:
        return _unprofitable(estimate, campaign, steady)
    if estimate.status == LEARNING or steady >= config.confirm_pause:
        return None
    if estimate.evidence.spend_since_conversion > config.dry_spell_cpas * campaign.break_even_cpa:
        return _dry_spell(estimate, campaign, config)
    return None


def _unprofitable(estimate: Estimate, campaign: PooledCampaign, chance: float) -> BudgetDecision:
    low, high = np.quantile(estimate.steady, [0.05, 0.95])
    params = {
        "roas": f"{float(np.median(estimate.steady)):.2f}",
        "low": f"{low:.2f}",
        "high": f"{high:.2f}",
        "chance": f"{100 * chance:.1f}",
        "target": f"{campaign.break_even:.2f}",
        "days": estimate.evidence.matured_days,
    }
    values = _values(estimate, campaign) | {"chance_at_lowest_budget": round(chance, 4)}
    return _pause_decision(estimate, "reason_roasloop_pause_unprofitable", params, values)


def _dry_spell(
    estimate: Estimate, campaign: PooledCampaign, config: RoasloopConfig
) -> BudgetDecision:
    spent = estimate.evidence.spend_since_conversion
    cpa = campaign.break_even_cpa
    chance = math.exp(-spent / cpa)
    params = {
        "spend": f"{spent:.2f}",
        "cpa": f"{cpa:.2f}",
        "multiple": f"{config.dry_spell_cpas:g}",
        "chance": f"{100 * chance:.1f}",
    }
    values = _values(estimate, campaign) | {"chance_if_on_target": round(chance, 4)}
    return _pause_decision(estimate, "reason_roasloop_pause_dry", params, values)


def _pause_decision(
    estimate: Estimate, key: str, params: dict[str, Any], values: dict[str, Any]
) -> BudgetDecision:
    return _decision(estimate.snapshot, BudgetAction.PAUSE, None, key, params, values)


def _rebalance(
    estimates: list[Estimate],
    campaign: PooledCampaign,
    context: PolicyContext,
    config: RoasloopConfig,
) -> list[BudgetDecision]:
    """Thompson-sampled marginal-ROAS allocation, each move confirmed by the posterior."""
    movable = [e for e in estimates if e.evidence.matured_days > 0]
    fixed = sum(e.budget for e in estimates if e not in movable)
    committed = sum(e.budget for e in estimates)
    cap = float(context.campaign_budget) if context.campaign_budget is not None else committed
    raise_ok = [_may_raise(e, context, config) for e in movable]
    budget = max(cap - fixed, 0.0)
    knee = config.saturation_knee
    responses = [
        _response(e, context, ok, knee, draw=0) for e, ok in zip(movable, raise_ok, strict=True)
    ]
    spends, _ = allocate(responses, campaign.break_even, budget)
    # The price a move must beat comes from the posterior medians, not from one draw: a lucky
    # draw of an uncertain ad set may win it budget, but not push a proven one out.
    medians = [
        _response(e, context, ok, knee, draw=None) for e, ok in zip(movable, raise_ok, strict=True)
    ]
    _, price = allocate(medians, campaign.break_even, budget)
    moves = []
    for estimate, response, spend in zip(movable, responses, spends, strict=True):
        move = _largest_confirmed(estimate, spend, price, context, config)
        if move is not None:
            new, arc, confidence = move
            decision = _change(estimate, response, new, arc, price, confidence, campaign)
            if decision is not None:
                moves.append((confidence, decision))
    # Cuts free headroom first; increases then take it, most certain first.
    moves.sort(key=lambda m: (m[1].action == BudgetAction.INCREASE_BUDGET, -m[0]))
    return [decision for _, decision in moves]


def _largest_confirmed(
    estimate: Estimate,
    spend: float,
    price: float,
    context: PolicyContext,
    config: RoasloopConfig,
) -> tuple[Decimal, FloatArray, float] | None:
    """The largest part of the Thompson move (all, half, a quarter) that the posterior
    confirms: a bold step needs more certainty than a small one, since its dollars are
    further from the known operating point."""
    old = estimate.snapshot.daily_budget
    for fraction in (1.0, 0.5, 0.25):
        wanted = estimate.budget + fraction * (spend - estimate.budget)
        new = _bounded(old, Decimal(repr(wanted)), context)
        if abs(new - old) < MIN_CHANGE * old:
            return None
        arc = _arc_roas(estimate, float(new), config.saturation_knee)
        confidence = float(np.mean(arc >= price))
        if _confirmed(new > old, confidence, estimate.status, config):
            return new, arc, confidence
    return None


def _arc_roas(estimate: Estimate, new: float, knee: float) -> FloatArray:
    """Posterior draws of the ROAS of the dollars between the current and the new budget.

    On the power curve revenue ∝ s · max(s, knee)^(−ε), the dollars added by a raise earn
    less than the average dollar, and the dollars removed by a cut earned more than the last
    one did (above the knee).
    """
    old = estimate.budget
    if new == old or old <= 0:
        return (1.0 - estimate.eps if old > knee else 1.0) * estimate.roas
    shift = pressure(new, old, knee)
    gain = new / old * np.exp(-estimate.eps * shift) - 1.0
    result: FloatArray = estimate.roas * gain / (new / old - 1.0)
    return result


def _confirmed(up: bool, confidence: float, status: LearningStatus, config: RoasloopConfig) -> bool:
    """A Thompson move goes ahead only if the posterior agrees with its direction: the moved
    dollars' ROAS above the price with probability ≥ ``up`` (≤ ``down`` for a cut). Learning
    ad sets have their own thresholds (the same by default: a step within the platform's
    no-reset size does not restart learning, and their "now" view already judges them at
    their learning rate)."""
    up_at, down_at = (
        (config.learning_up, config.learning_down)
        if status == LEARNING
        else (config.confirm_up, config.confirm_down)
    )
    return confidence >= up_at if up else confidence <= down_at


def _may_raise(estimate: Estimate, context: PolicyContext, config: RoasloopConfig) -> bool:
    """A raise waits until the day after the last change is reported (cuts may follow cuts
    daily)."""
    edited = context.edited.get(estimate.snapshot.adset_id)
    return edited is None or (context.as_of - edited).days >= config.cooldown_days


def _response(
    estimate: Estimate, context: PolicyContext, may_raise: bool, knee: float, draw: int | None
) -> Response:
    """One ad set's curve — posterior draw number ``draw`` (Thompson sampling) or the
    posterior medians (``None``) — and its step range."""
    budget = estimate.budget
    cap = float(context.step_cap)
    low = max(float(context.min_budget), budget * (1.0 - cap))
    rho, eps = (
        (float(np.median(estimate.roas)), float(np.median(estimate.eps)))
        if draw is None
        else (float(estimate.roas[draw]), float(estimate.eps[draw]))
    )
    return Response(
        rho=rho,
        eps=eps,
        anchor=budget,
        low=min(low, budget),
        high=budget * (1.0 + cap) if may_raise else budget,
        knee=knee,
    )


def _change(
    estimate: Estimate,
    response: Response,
    new: Decimal,
    arc: FloatArray,
    price: float,
    confidence: float,
    campaign: PooledCampaign,
) -> BudgetDecision | None:
    old = estimate.snapshot.daily_budget
    if old <= 0 or abs(new - old) < MIN_CHANGE * old:
        return None
    moved = float(np.median(arc))
    params = {
        "mroas": f"{moved:.2f}",
        "target": f"{price:.2f}",
        "chance": f"{100 * confidence:.0f}",
        "pct": f"{abs(new - old) / old * 100:.0f}",
    }
    values = _values(estimate, campaign) | {
        "moved_dollars_roas_median": round(moved, 4),
        "price_marginal_roas": round(price, 4),
        "chance_moved_dollars_above_price": round(confidence, 4),
        "thompson_roas": round(response.rho, 4),
        "thompson_elasticity": round(response.eps, 4),
    }
    action, key = (
        (BudgetAction.INCREASE_BUDGET, "reason_roasloop_increase")
        if new > old
        else (BudgetAction.DECREASE_BUDGET, "reason_roasloop_decrease")
    )
    return _decision(estimate.snapshot, action, new, key, params, values)


def _bounded(old: Decimal, wanted: Decimal, context: PolicyContext) -> Decimal:
    """``wanted`` in cents, inside ±step_cap of ``old`` (rounded inwards) and ≥ the minimum."""
    high = (old * (1 + context.step_cap)).quantize(CENT, rounding=ROUND_FLOOR)
    low = (old * (1 - context.step_cap)).quantize(CENT, rounding=ROUND_CEILING)
    low = max(low, context.min_budget)
    new = wanted.quantize(CENT)
    return min(max(new, low), max(high, low))


def _values(estimate: Estimate, campaign: PooledCampaign) -> dict[str, Any]:
    roas = estimate.roas
    low, median, high = (float(q) for q in np.quantile(roas, [0.05, 0.5, 0.95]))
    evidence = estimate.evidence
    return {
        "roas_median": round(median, 4),
        "roas_p05": round(low, 4),
        "roas_p95": round(high, 4),
        "chance_above_break_even": round(float(np.mean(roas >= campaign.break_even)), 4),
        "steady_roas_median": round(float(np.median(estimate.steady)), 4),
        "tracking_reported_share": round(campaign.reported_share, 4),
        "elasticity_median": round(float(np.median(estimate.eps)), 4),
        "break_even_roas": round(campaign.break_even, 4),
        "matured_days": evidence.matured_days,
        "weighted_conversions": round(evidence.conversions, 2),
        "weighted_visible_spend": round(evidence.exposure, 2),
        "clicks_per_dollar": None
        if evidence.clicks_per_dollar is None
        else round(evidence.clicks_per_dollar, 4),
        "spend_since_conversion": round(evidence.spend_since_conversion, 2),
        "learning_status": estimate.status.value,
    }


def _decision(
    snapshot: AdSetSnapshot,
    action: BudgetAction,
    new: Decimal | None,
    key: str,
    params: dict[str, Any],
    values: dict[str, Any],
) -> BudgetDecision:
    return BudgetDecision(
        snapshot.adset_id, action, snapshot.daily_budget, new, key, params, values
    )
