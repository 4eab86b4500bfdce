"""Pairwise comparisons on the primary metric for each method, and their adjustment.

* ``chi_square`` — fixed-horizon: p from Pearson / Fisher / CMH (binomial) or a Wald t-test
  (ratio), lift interval ``exp(θ ± z·se) − 1`` (t for ratio metrics).
* ``sequential`` — mSPRT always-valid p and confidence sequence on ``θ`` (see ``sequential``).
* ``bayesian`` — chance to win, expected loss and a credible interval of the lift.

``θ`` is the stratified (Mantel–Haenszel) log ratio for rates and the delta-method log ratio for
ROAS / CPA. Control comparisons are adjusted for multiplicity (Holm by default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from roasloop.stats._models import MetricModel, MonteCarlo
from roasloop.stats.bayesian import BetaPosterior, Posterior, compare_two, log_lift_moments
from roasloop.stats.multiple import adjust
from roasloop.stats.proportions import lift_interval, lift_of, z_two_sided
from roasloop.stats.ratio import t_quantile
from roasloop.stats.results import Comparison
from roasloop.stats.sequential import msprt


@dataclass(frozen=True, slots=True)
class MethodContext:
    """Method and its parameters, resolved from the analysis config."""

    method: str
    alpha: float
    tau: float
    mc: MonteCarlo
    ctw: float
    correction: str
    posteriors: list[Posterior] | None = None
    posterior_error: str | None = None


def compare(
    model: MetricModel, ctx: MethodContext, i: int, j: int, ids: tuple[str, ...]
) -> Comparison:
    """Unadjusted comparison of arm ``i`` against arm ``j``."""
    if ctx.method == "bayesian":
        return _bayesian(model, ctx, i, j, ids)
    lr = model.log_ratio(i, j)
    test = "msprt" if ctx.method == "sequential" else "chi_square"
    if not lr.ok or not lr.variance:
        return Comparison(ids[i], ids[j], test, error=lr.error or "the estimate has no variance")
    if ctx.method == "sequential":
        return _sequential(ctx, lr.log_ratio or 0.0, lr.variance, ids[i], ids[j])
    return _fixed(model, ctx, i, j, ids)


def _fixed(
    model: MetricModel, ctx: MethodContext, i: int, j: int, ids: tuple[str, ...]
) -> Comparison:
    lr = model.log_ratio(i, j)
    assert lr.log_ratio is not None and lr.variance is not None
    dof = model.dof(i, j)
    crit = z_two_sided(ctx.alpha) if dof is None else t_quantile(ctx.alpha, dof)
    lift, lower, upper = lift_interval(lr.log_ratio, crit * math.sqrt(lr.variance))
    test = model.fixed_pair(i, j, ctx.mc)
    return Comparison(ids[i], ids[j], test.test, lift, lower, upper, test.p_value, error=test.error)


def _sequential(
    ctx: MethodContext, theta: float, variance: float, vid: str, bid: str
) -> Comparison:
    result = msprt(theta, variance, ctx.tau, ctx.alpha)
    if result.error or result.lower is None or result.upper is None:
        return Comparison(vid, bid, "msprt", error=result.error)
    return Comparison(
        vid,
        bid,
        "msprt",
        lift_of(theta),
        lift_of(result.lower),
        lift_of(result.upper),
        result.p_value,
    )


def _bayesian(
    model: MetricModel, ctx: MethodContext, i: int, j: int, ids: tuple[str, ...]
) -> Comparison:
    posts = ctx.posteriors
    test = "beta_binomial" if model.spec.kind == "binomial" else "normal_log_ratio"
    if posts is None:
        return Comparison(ids[i], ids[j], test, error=ctx.posterior_error or "no posterior")
    sign = 1.0 if model.spec.higher_is_better else -1.0
    mean, var = log_lift_moments(posts[i], posts[j])
    half = z_two_sided(ctx.alpha) * math.sqrt(var)
    bounds = sorted((lift_of(sign * (mean - half)), lift_of(sign * (mean + half))))
    chance, loss = compare_two(posts[i], posts[j])
    return Comparison(
        ids[i],
        ids[j],
        test,
        lift_of(sign * mean),
        bounds[0],
        bounds[1],
        chance_to_win=chance,
        risk=relative_risk(posts[i], loss),
    )


def relative_risk(post: Posterior, loss: float) -> float:
    """Expected loss relative to the arm's mean (log-scale losses already are relative)."""
    if isinstance(post, BetaPosterior):
        return loss / post.mean if post.mean > 0 else math.inf
    return loss


def _oriented(comp: Comparison, higher_is_better: bool) -> float | None:
    if comp.lift is None:
        return None
    return comp.lift if higher_is_better else -comp.lift


def mark(comp: Comparison, ctx: MethodContext, higher_is_better: bool) -> Comparison:
    """Set ``significant`` and ``direction`` from the (adjusted) p-value or chance to win."""
    oriented = _oriented(comp, higher_is_better)
    if comp.error or oriented is None:
        return comp
    if ctx.method == "bayesian":
        ctw = comp.chance_to_win if comp.chance_to_win is not None else 0.5
        if ctw >= ctx.ctw or ctw <= 1.0 - ctx.ctw:
            return replace(comp, significant=True, direction="better" if ctw >= 0.5 else "worse")
        return comp
    p = comp.adjusted_p_value if comp.adjusted_p_value is not None else comp.p_value
    if p is not None and p < ctx.alpha:
        return replace(comp, significant=True, direction="better" if oriented > 0 else "worse")
    return comp


def adjust_and_mark(
    comps: list[Comparison], ctx: MethodContext, higher_is_better: bool
) -> tuple[Comparison, ...]:
    """Multiplicity-adjust the control comparisons' p-values, then mark significance."""
    valid = [(k, c.p_value) for k, c in enumerate(comps) if c.p_value is not None]
    adjusted = adjust([p for _, p in valid], ctx.correction)
    out = list(comps)
    for (k, _), p in zip(valid, adjusted, strict=True):
        out[k] = replace(out[k], adjusted_p_value=p)
    return tuple(mark(c, ctx, higher_is_better) for c in out)
