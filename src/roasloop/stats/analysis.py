"""A/B analysis of creative tests: the single entry point the service layer calls.

:func:`analyze` takes daily rows (variant × day × ad set), the test's design and a method, and
returns an :class:`~roasloop.stats.results.AnalysisResult`. It never raises on bad or degenerate
input: the result's ``error`` (or a comparison's ``error``) says what is wrong.

Methods
-------
``"sequential"`` (default)
    Always-valid mSPRT p-values and confidence sequences (:mod:`roasloop.stats.sequential`),
    safe to evaluate after every scheduler run. Floor: 25 conversions per variant (Optimizely).
``"chi_square"``
    The seed's fixed-horizon test, made valid: uncorrected Pearson chi-square of the k×2 table
    (Fisher / seeded Monte-Carlo exact test when an expected count is < 5); with several
    (day × ad set) strata, Cochran–Mantel–Haenszel. Floor: the seed's 100 conversions.
``"bayesian"``
    Beta-binomial (rates) or log-normal (ROAS/CPA) posteriors; chance to beat control, chance
    to be best, expected loss. Floor: 25 conversions.

Rates are compared by the Mantel–Haenszel risk ratio across (day × ad set) strata, so Simpson's
paradox cannot flip a verdict; ROAS and CPA by the delta method over (day × ad set) clusters.
Challenger-vs-control p-values are Holm-adjusted by default. The verdict rules are in
:mod:`roasloop.stats._decide`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from roasloop.stats import _text
from roasloop.stats._data import METRICS, TestData, aggregate
from roasloop.stats._decide import Decision, Evidence, Plan, decide, readiness, recommendations
from roasloop.stats._methods import MethodContext, adjust_and_mark, compare, relative_risk
from roasloop.stats._models import MetricModel, MonteCarlo, build_model
from roasloop.stats._summary import srm, summaries, warnings
from roasloop.stats.bayesian import ArmRanking, rank_arms
from roasloop.stats.multiple import CORRECTIONS
from roasloop.stats.results import AnalysisResult, Omnibus, Verdict
from roasloop.stats.sequential import default_tau

__all__ = [
    "METHODS",
    "AnalysisConfig",
    "AnalysisResult",
    "TestDesign",
    "VariantDaily",
    "Verdict",
    "analyze",
]

METHODS = ("sequential", "chi_square", "bayesian")
SEED_FLOOR = 100  # seed: "每个变体至少 100 次转化"
SEQUENTIAL_FLOOR = 25  # Optimizely Stats Engine's minimum of 25 conversions per variation


@dataclass(frozen=True, slots=True)
class VariantDaily:
    """One variant × one day × one stratum (ad set) of delivered performance."""

    variant_id: str
    day: date
    stratum: str
    impressions: int
    clicks: int
    conversions: int
    spend: Decimal
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class TestDesign:
    """The test's variants (first = control), primary metric and assignment."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    variant_ids: tuple[str, ...]
    primary_metric: str = "cvr"
    designed_split: tuple[float, ...] | None = None
    randomized: bool = True


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Decision parameters; ``min_conversions_floor=None`` picks the method's floor."""

    alpha: float = 0.05
    power: float = 0.8
    mde: float = 0.20
    min_conversions_floor: int | None = None
    correction: str = "holm"
    ctw_threshold: float = 0.95
    risk_threshold: float = 0.0025
    sequential_tau: float | None = None
    srm_p_threshold: float = 0.001
    srm_blocks_verdict: bool = True
    min_clusters: int = 5
    winner_budget_increase_pct: int = 50
    monte_carlo_draws: int = 10_000
    monte_carlo_seed: int = 20_240_601
    delivery_window_days: int = 7
    bayesian_prior: tuple[float, float] = (1.0, 1.0)

    def floor(self, method: str) -> int:
        if self.min_conversions_floor is not None:
            return self.min_conversions_floor
        return SEED_FLOOR if method == "chi_square" else SEQUENTIAL_FLOOR

    def tau(self) -> float:
        if self.sequential_tau is not None:
            return self.sequential_tau
        return default_tau(self.mde, self.alpha, self.power)

    def error(self) -> str | None:
        """The first invalid setting, or ``None``."""
        checks = (
            (0.0 < self.alpha < 1.0, "alpha must lie in (0, 1)"),
            (0.0 < self.power < 1.0, "power must lie in (0, 1)"),
            (0.0 < self.mde < 10.0, "mde must be a relative lift in (0, 10)"),
            (self.correction in CORRECTIONS, f"correction must be one of {CORRECTIONS}"),
            (0.5 < self.ctw_threshold < 1.0, "ctw_threshold must lie in (0.5, 1)"),
            (self.risk_threshold >= 0.0, "risk_threshold must be >= 0"),
            (self.sequential_tau is None or self.sequential_tau > 0, "sequential_tau must be > 0"),
            (0.0 < self.srm_p_threshold < 1.0, "srm_p_threshold must lie in (0, 1)"),
            (self.min_clusters >= 2, "min_clusters must be >= 2"),
            ((self.min_conversions_floor or 0) >= 0, "min_conversions_floor must be >= 0"),
            (self.monte_carlo_draws >= 100, "monte_carlo_draws must be >= 100"),
            (self.delivery_window_days >= 1, "delivery_window_days must be >= 1"),
            (min(self.bayesian_prior) > 0, "bayesian_prior must be positive"),
            (self.winner_budget_increase_pct >= 0, "winner_budget_increase_pct must be >= 0"),
        )
        return next((message for ok, message in checks if not ok), None)


def _design_error(design: TestDesign) -> str | None:
    ids = design.variant_ids
    if len(ids) < 2:
        return "an A/B test needs at least two variants"
    if len(set(ids)) != len(ids) or not all(isinstance(v, str) and v for v in ids):
        return "variant ids must be distinct non-empty strings"
    if design.primary_metric not in METRICS:
        return f"primary_metric must be one of {tuple(METRICS)}"
    split = design.designed_split
    if split is not None and (len(split) != len(ids) or min(split) <= 0):
        return "designed_split must give one positive share per variant"
    return None


def analyze(
    rows: Sequence[VariantDaily],
    design: TestDesign,
    method: str = "sequential",
    config: AnalysisConfig = AnalysisConfig(),
) -> AnalysisResult:
    """Analyze a creative A/B test from its daily rows; never raises.

    ``rows`` may hold several rows per variant, day and ad set (they are summed) and rows of
    variants outside ``design`` (ignored, with an ``unknown_variant`` warning). ``method`` is
    ``"sequential"`` (default), ``"chi_square"`` or ``"bayesian"``.

    Verdict (full rules in :mod:`roasloop.stats._decide`): ``"winner"`` when every variant has
    reached the conversion floor, the SRM gate (designed splits only) is not tripped, for
    ``chi_square`` the omnibus test has p < α, and the best variant beats both the control and
    the runner-up (Holm-adjusted p < α, or chance to win ≥ the threshold with expected loss ≤ the
    risk threshold for ``bayesian``); ``"no_difference"`` when every challenger's interval lies
    within ±MDE (log-symmetric), the sample needed for the MDE has been reached, or (bayesian)
    every arm's expected loss is below the risk threshold; ``"keep_testing"`` otherwise.
    Invalid input gives ``verdict="keep_testing"`` and ``error`` set.
    """
    error = (
        _design_error(design)
        or (None if method in METHODS else f"method must be one of {METHODS}")
        or config.error()
    )
    if error:
        return _failed(design, method, config, error)
    data = aggregate(rows, design.variant_ids)
    if isinstance(data, str):
        return _failed(design, method, config, data)
    spec = METRICS[design.primary_metric]
    model = build_model(spec, data, config.alpha, config.min_clusters)
    if isinstance(model, str):
        return _failed(design, method, config, model)
    return _analyze(data, model, design, method, config)


def _context(model: MetricModel, method: str, config: AnalysisConfig) -> MethodContext:
    posteriors = model.posteriors(config.bayesian_prior) if method == "bayesian" else None
    return MethodContext(
        method,
        config.alpha,
        config.tau(),
        MonteCarlo(config.monte_carlo_draws, config.monte_carlo_seed),
        config.ctw_threshold,
        config.correction,
        posteriors if isinstance(posteriors, list) else None,
        posteriors if isinstance(posteriors, str) else None,
    )


def _plan(method: str, config: AnalysisConfig) -> Plan:
    return Plan(
        config.alpha,
        config.power,
        config.mde,
        config.floor(method),
        config.correction,
        config.ctw_threshold,
        config.risk_threshold,
        config.tau(),
        config.delivery_window_days,
        config.winner_budget_increase_pct,
    )


def _ranking(ctx: MethodContext) -> tuple[ArmRanking | None, tuple[float, ...] | None]:
    if ctx.posteriors is None:
        return None, None
    ranking = rank_arms(ctx.posteriors)
    risks = tuple(
        relative_risk(post, loss)
        for post, loss in zip(ctx.posteriors, ranking.expected_loss, strict=True)
    )
    return ranking, risks


def _omnibus(model: MetricModel, ctx: MethodContext) -> Omnibus | None:
    if ctx.method != "chi_square":
        return None
    test = model.omnibus(ctx.mc)
    return Omnibus(test.test, test.statistic, test.dof, test.p_value, test.error)


def _analyze(
    data: TestData, model: MetricModel, design: TestDesign, method: str, config: AnalysisConfig
) -> AnalysisResult:
    ctx, plan, ids = _context(model, method, config), _plan(method, config), data.variant_ids
    raw = [compare(model, ctx, i, 0, ids) for i in range(1, len(ids))]
    comps = adjust_and_mark(raw, ctx, model.spec.higher_is_better)
    ranking, risks = _ranking(ctx)
    omnibus = _omnibus(model, ctx)
    ready = readiness(model, method, plan)
    srm_result = srm(data, design.designed_split, config.srm_p_threshold)
    blocks = bool(srm_result and srm_result.tripped and config.srm_blocks_verdict)
    evidence = Evidence(comps, omnibus, risks, ready, blocks)
    decision = decide(model, ctx, plan, evidence, ids)
    return AnalysisResult(
        method,
        design.primary_metric,
        ids[0],
        decision.verdict,
        decision.winner,
        decision.runner_up,
        omnibus.p_value if omnibus else None,
        omnibus,
        summaries(data, model, config.alpha, ranking, risks),
        comps,
        decision.best_vs_runner_up,
        ready,
        warnings(
            data,
            model,
            design.randomized,
            srm_result,
            config.alpha,
            config.min_clusters,
            ready.floor_met,
        ),
        recommendations(decision, plan.budget_pct),
        _messages(decision, model, config),
        _settings(method, config),
    )


def _messages(decision: Decision, model: MetricModel, config: AnalysisConfig) -> dict[str, str]:
    return _text.message(
        decision.message_key,
        winner=decision.winner,
        metric=model.spec.label,
        mde=round(config.mde * 100, 1),
    )


def _settings(method: str, config: AnalysisConfig) -> dict[str, float | int | str | None]:
    return {
        "alpha": config.alpha,
        "power": config.power,
        "mde": config.mde,
        "correction": config.correction,
        "min_conversions_floor": config.floor(method),
        "ctw_threshold": config.ctw_threshold,
        "risk_threshold": config.risk_threshold,
        "sequential_tau": config.tau() if config.error() is None else None,
    }


def _failed(design: TestDesign, method: str, config: AnalysisConfig, error: str) -> AnalysisResult:
    ids = design.variant_ids
    return AnalysisResult(
        method,
        design.primary_metric,
        ids[0] if ids else None,
        Verdict.KEEP_TESTING,
        None,
        None,
        None,
        None,
        (),
        (),
        None,
        None,
        (),
        (_text.recommendation("keep_testing_insufficient", "keep_testing"),),
        _text.message("error", error=error),
        _settings(method, config),
        error,
    )
