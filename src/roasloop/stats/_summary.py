"""Per-variant summaries and warnings of an analysis."""

from __future__ import annotations

import math

from roasloop.stats._data import TestData
from roasloop.stats._models import MetricModel, cluster_sums
from roasloop.stats._text import notice
from roasloop.stats.bayesian import ArmRanking
from roasloop.stats.guards import SrmResult, simpson_reversal, srm_check
from roasloop.stats.proportions import wilson_interval, z_two_sided
from roasloop.stats.ratio import ratio_estimate
from roasloop.stats.results import Estimate, Notice, VariantSummary


def _rate(successes: float, trials: float, alpha: float) -> Estimate:
    ci = wilson_interval(successes, trials, alpha)
    return Estimate(ci.estimate, ci.lower, ci.upper)


def _ratio(data: TestData, arm: int, numerator: str, denominator: str, alpha: float) -> Estimate:
    x, y = data.cells[denominator][arm], data.cells[numerator][arm]
    est = ratio_estimate(cluster_sums(x, y, data.present[arm]), alpha)
    if est.ok:
        return Estimate(est.ratio, est.lower, est.upper)
    total = float(x.sum())
    return Estimate(float(y.sum()) / total if total > 0 else None)


def summaries(
    data: TestData,
    model: MetricModel,
    alpha: float,
    ranking: ArmRanking | None,
    risks: tuple[float, ...] | None,
) -> tuple[VariantSummary, ...]:
    """Counts, money, CTR/CVR (Wilson) and CPA/ROAS (delta method) with intervals."""
    imp, clk, conv = (data.totals(f) for f in ("impressions", "clicks", "conversions"))
    values = model.arm_values()
    out = []
    for a, vid in enumerate(data.variant_ids):
        out.append(
            VariantSummary(
                vid,
                a == 0,
                int(imp[a]),
                int(clk[a]),
                int(conv[a]),
                data.spend[a],
                data.revenue[a],
                _rate(clk[a], imp[a], alpha),
                _rate(conv[a], clk[a], alpha),
                _ratio(data, a, "spend", "conversions", alpha),
                _ratio(data, a, "revenue", "spend", alpha),
                values[a],
                ranking.chance_to_be_best[a] if ranking else None,
                _finite(risks[a]) if risks else None,
            )
        )
    return tuple(out)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def srm(data: TestData, split: tuple[float, ...] | None, threshold: float) -> SrmResult | None:
    """The SRM test on impressions (the closest unit to assignment we observe)."""
    if split is None:
        return None
    return srm_check(list(data.totals("impressions")), split, threshold)


def warnings(
    data: TestData,
    model: MetricModel,
    randomized: bool,
    srm_result: SrmResult | None,
    alpha: float,
    min_clusters: int,
    floor_met: bool,
) -> tuple[Notice, ...]:
    """Codes ``unknown_variant``, ``not_randomized``, ``srm``, ``simpson``, ``low_counts``..."""
    out: list[Notice] = []
    if data.unknown_variants:
        out.append(notice("unknown_variant", variants=", ".join(data.unknown_variants)))
    if not randomized:
        out.append(notice("not_randomized"))
    if srm_result is not None and srm_result.tripped:
        out.append(notice("srm", p=srm_result.p_value or 0.0))
    out.extend(_simpson(data, model, alpha))
    if floor_met and model.low_counts():
        code = "low_counts" if model.spec.kind == "binomial" else "few_clusters"
        out.append(notice(code, min_clusters=min_clusters))
    return tuple(out)


def _simpson(data: TestData, model: MetricModel, alpha: float) -> list[Notice]:
    z_crit = z_two_sided(alpha)
    out = []
    for i in range(1, len(data.variant_ids)):
        pooled = model.pooled_log_ratio(i, 0)
        if pooled is not None and simpson_reversal(pooled, model.log_ratio(i, 0), z_crit):
            vid = data.variant_ids[i]
            out.append(notice("simpson", vid, variant=vid))
    return out
