"""From comparisons to a verdict: readiness, the winner rule, recommendations and messages.

Decision rules (documented in :func:`roasloop.stats.analysis.analyze`):

* **winner** ``b`` = the variant with the best stratified point estimate, ``r`` = the runner-up.
  ``b`` wins only if every variant has reached the conversion floor, the SRM gate is not
  tripped, (``chi_square``) the omnibus test has p < α, ``b`` beats the control (Holm-adjusted
  p < α; for ``bayesian`` chance to win ≥ the threshold) unless ``b`` is the control, ``b``
  beats ``r`` the same way (adjusted when ``r`` or ``b`` is the control, unadjusted otherwise —
  an extra condition, so it only lowers the false-winner rate), and (``bayesian``) the expected
  relative loss of choosing ``b`` is ≤ the risk threshold.
* **no_difference**: no winner, floor met, and either every challenger's interval (CI, CS or
  credible interval) lies inside ``(1/(1+MDE) − 1, MDE)`` (equivalence, symmetric on the log
  scale), or the sample needed for the MDE at the configured power has been reached, or
  (``bayesian``) every arm's expected loss is ≤ the risk threshold.
* **keep_testing** otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from roasloop.stats._methods import MethodContext, compare, mark
from roasloop.stats._models import MetricModel
from roasloop.stats._text import recommendation
from roasloop.stats.power import (
    SampleSize,
    days_remaining,
    sample_size_fixed,
    sample_size_proportions,
    sample_size_sequential,
)
from roasloop.stats.results import Comparison, Omnibus, Readiness, Recommendation, Verdict


@dataclass(frozen=True, slots=True)
class Plan:
    """The parameters of the decision that come from the config."""

    alpha: float
    power: float
    mde: float
    floor: int
    correction: str
    ctw: float
    risk_threshold: float
    tau: float
    window_days: int
    budget_pct: int


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict and what it rests on."""

    verdict: Verdict
    winner: str | None
    runner_up: str | None
    best_vs_runner_up: Comparison | None
    message_key: str
    worst: str | None


def _required(model: MetricModel, method: str, plan: Plan, k: int) -> SampleSize:
    alpha = plan.alpha / (k - 1) if plan.correction != "none" else plan.alpha
    if method == "chi_square" and model.spec.kind == "binomial":
        p0 = model.arm_values()[0]
        if not p0:
            return SampleSize(None, "the control has no conversions yet")
        return sample_size_proportions(p0, plan.mde, alpha, plan.power)
    k_constant = model.variance_constant(plan.mde)
    if k_constant is None:
        return SampleSize(None, "the baseline is not estimable yet")
    if method == "sequential":
        return sample_size_sequential(k_constant, plan.mde, plan.tau, alpha, plan.power)
    if method == "bayesian":
        return sample_size_fixed(k_constant, plan.mde, 1.0 - plan.ctw, plan.power, False)
    return sample_size_fixed(k_constant, plan.mde, alpha, plan.power)


def readiness(model: MetricModel, method: str, plan: Plan) -> Readiness:
    """Floor, sample needed for the MDE, current sample and days remaining."""
    counts, units = model.floor_counts(), model.units()
    floor_met = bool(counts.min() >= plan.floor)
    if model.spec.kind == "ratio":
        floor_met = floor_met and not model.low_counts()
    required = _required(model, method, plan, len(units))
    daily = model.daily_units(plan.window_days)
    days: int | None = None
    if required.per_arm is not None:
        remaining = [
            days_remaining(required.per_arm, u, d) for u, d in zip(units, daily, strict=True)
        ]
        days = None if any(r is None for r in remaining) else max(r or 0 for r in remaining)
    ready = floor_met and required.per_arm is not None and float(units.min()) >= required.per_arm
    return Readiness(
        model.spec.unit,
        required.per_arm,
        float(units.min()),
        plan.floor,
        int(counts.min()),
        floor_met,
        ready,
        float(daily.min()),
        days,
        required.error,
    )


def _ordered(scores: list[float | None]) -> list[int]:
    arms = [a for a, s in enumerate(scores) if s is not None]
    return sorted(arms, key=lambda a: (-(scores[a] or 0.0), a))


def _better(comp: Comparison | None) -> bool:
    return (
        comp is not None and comp.error is None and comp.significant and comp.direction == "better"
    )


def best_vs_runner_up(
    model: MetricModel,
    ctx: MethodContext,
    b: int,
    r: int,
    comps: tuple[Comparison, ...],
    ids: tuple[str, ...],
) -> Comparison:
    """``b`` against ``r``; p adjusted with the control family when either is the control."""
    if r == 0:
        return comps[b - 1]
    comp = compare(model, ctx, b, r, ids)
    if b == 0:
        comp = replace(comp, adjusted_p_value=comps[r - 1].adjusted_p_value)
    return mark(comp, ctx, model.spec.higher_is_better)


def _equivalent(comps: tuple[Comparison, ...], mde: float) -> bool:
    low, high = 1.0 / (1.0 + mde) - 1.0, mde
    return all(
        c.error is None
        and c.lift_lower is not None
        and c.lift_upper is not None
        and low < c.lift_lower
        and c.lift_upper < high
        for c in comps
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything the verdict depends on."""

    comps: tuple[Comparison, ...]
    omnibus: Omnibus | None
    arm_risks: tuple[float, ...] | None
    readiness: Readiness
    srm_blocks: bool


def decide(
    model: MetricModel, ctx: MethodContext, plan: Plan, ev: Evidence, ids: tuple[str, ...]
) -> Decision:
    """Apply the winner / no-difference / keep-testing rules of the module docstring."""
    order = _ordered(model.scores())
    if ev.srm_blocks:
        return Decision(Verdict.KEEP_TESTING, None, None, None, "srm", None)
    if not ev.readiness.floor_met or len(order) < 2:
        return Decision(Verdict.KEEP_TESTING, None, None, None, "insufficient", None)
    b, r, worst = order[0], order[1], order[-1]
    pair = best_vs_runner_up(model, ctx, b, r, ev.comps, ids)
    if _is_winner(ctx, plan, ev, b, pair):
        return Decision(Verdict.WINNER, ids[b], ids[r], pair, "winner", ids[worst])
    risks_tiny = ev.arm_risks is not None and max(ev.arm_risks) <= plan.risk_threshold
    if ev.readiness.ready or _equivalent(ev.comps, plan.mde) or risks_tiny:
        return Decision(Verdict.NO_DIFFERENCE, None, ids[r], pair, "no_difference", ids[worst])
    return Decision(Verdict.KEEP_TESTING, None, ids[r], pair, "not_significant", ids[worst])


def _is_winner(ctx: MethodContext, plan: Plan, ev: Evidence, b: int, pair: Comparison) -> bool:
    if ctx.method == "chi_square":
        p = ev.omnibus.p_value if ev.omnibus else None
        if p is None or p >= plan.alpha:
            return False
    if b != 0 and not _better(ev.comps[b - 1]):
        return False
    if not _better(pair):
        return False
    if ctx.method == "bayesian":
        return ev.arm_risks is not None and ev.arm_risks[b] <= plan.risk_threshold
    return True


def recommendations(decision: Decision, budget_pct: int) -> tuple[Recommendation, ...]:
    """Seed-style actions: pause the worst and fund the winner, or keep testing / end.

    The worst variant is the one with the lowest stratified estimate of the primary metric
    (the seed ranked by ROAS; choose ``primary_metric="roas"`` for that).
    """
    if decision.verdict is Verdict.WINNER:
        return (
            recommendation("pause", "pause", decision.worst),
            recommendation("increase_budget", "increase_budget", decision.winner, budget_pct),
        )
    if decision.verdict is Verdict.NO_DIFFERENCE:
        return (recommendation("end_test", "end_test"),)
    if decision.message_key == "srm":
        return (recommendation("check_setup", "check_setup"),)
    key = "keep_testing_insufficient" if decision.message_key == "insufficient" else "keep_testing"
    return (recommendation(key, "keep_testing"),)
