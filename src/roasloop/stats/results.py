"""Result objects of :func:`roasloop.stats.analysis.analyze`, with a JSON-friendly ``as_dict``.

``as_dict`` returns only ``str``, ``int``, ``float``, ``bool``, ``None``, ``list`` and ``dict``;
money is reported as a float in major units (the module API's convention), counts as ints.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class Verdict(enum.StrEnum):
    """Three-state outcome of an A/B test."""

    WINNER = "winner"
    NO_DIFFERENCE = "no_difference"
    KEEP_TESTING = "keep_testing"


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with a two-sided interval (any field may be ``None``)."""

    value: float | None = None
    lower: float | None = None
    upper: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"value": _num(self.value), "lower": _num(self.lower), "upper": _num(self.upper)}


@dataclass(frozen=True, slots=True)
class VariantSummary:
    """Totals, rates with intervals, and the arm-level decision quantities of one variant."""

    variant_id: str
    is_control: bool
    impressions: int
    clicks: int
    conversions: int
    spend: Decimal
    revenue: Decimal
    ctr: Estimate
    cvr: Estimate
    cpa: Estimate
    roas: Estimate
    metric_estimate: float | None
    chance_to_be_best: float | None = None
    risk: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "variant_id": self.variant_id,
            "is_control": self.is_control,
            "impressions": self.impressions,
            "clicks": self.clicks,
            "conversions": self.conversions,
            "spend": float(self.spend),
            "revenue": float(self.revenue),
            "ctr": self.ctr.as_dict(),
            "cvr": self.cvr.as_dict(),
            "cpa": self.cpa.as_dict(),
            "roas": self.roas.as_dict(),
            "metric_estimate": _num(self.metric_estimate),
            "chance_to_be_best": _num(self.chance_to_be_best),
            "risk": _num(self.risk),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """One variant against a baseline on the primary metric (lift = relative change)."""

    variant_id: str
    baseline_id: str
    test: str
    lift: float | None = None
    lift_lower: float | None = None
    lift_upper: float | None = None
    p_value: float | None = None
    adjusted_p_value: float | None = None
    chance_to_win: float | None = None
    risk: float | None = None
    significant: bool = False
    direction: str | None = None  # "better" | "worse" for the variant, when significant
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "variant_id": self.variant_id,
            "baseline_id": self.baseline_id,
            "test": self.test,
            "lift": _num(self.lift),
            "lift_lower": _num(self.lift_lower),
            "lift_upper": _num(self.lift_upper),
            "p_value": _num(self.p_value),
            "adjusted_p_value": _num(self.adjusted_p_value),
            "chance_to_win": _num(self.chance_to_win),
            "risk": _num(self.risk),
            "significant": self.significant,
            "direction": self.direction,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Omnibus:
    """The k-arm test of "all variants equal" (chi_square method only)."""

    test: str
    statistic: float | None
    dof: int | None
    p_value: float | None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "statistic": _num(self.statistic),
            "dof": self.dof,
            "p_value": _num(self.p_value),
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Readiness:
    """Sample needed for the MDE at the configured power, and how far the test is from it."""

    unit: str
    required_per_variant: float | None
    current_per_variant: float
    min_conversions_floor: int
    min_conversions: int
    floor_met: bool
    ready: bool
    daily_delivery: float | None
    days_remaining: int | None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "required_per_variant": _num(self.required_per_variant),
            "current_per_variant": float(self.current_per_variant),
            "min_conversions_floor": self.min_conversions_floor,
            "min_conversions": self.min_conversions,
            "floor_met": self.floor_met,
            "ready": self.ready,
            "daily_delivery": _num(self.daily_delivery),
            "days_remaining": self.days_remaining,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning code with its English and Simplified Chinese text."""

    code: str
    en: str
    zh_cn: str
    variant_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "variant_id": self.variant_id,
            "en": self.en,
            "zh-CN": self.zh_cn,
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A structured action (``pause``, ``increase_budget``, ``keep_testing``, ``end_test``)."""

    action: str
    variant_id: str | None
    pct: int | None
    en: str
    zh_cn: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "variant_id": self.variant_id,
            "pct": self.pct,
            "en": self.en,
            "zh-CN": self.zh_cn,
        }


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Everything :func:`~roasloop.stats.analysis.analyze` concludes about one test."""

    method: str
    primary_metric: str
    control_id: str | None
    verdict: Verdict
    winner: str | None
    runner_up: str | None
    p_value: float | None
    omnibus: Omnibus | None
    variants: tuple[VariantSummary, ...]
    comparisons: tuple[Comparison, ...]
    best_vs_runner_up: Comparison | None
    readiness: Readiness | None
    warnings: tuple[Notice, ...]
    recommendations: tuple[Recommendation, ...]
    messages: dict[str, str]
    settings: dict[str, float | int | str | None]
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "primary_metric": self.primary_metric,
            "control_id": self.control_id,
            "verdict": self.verdict.value,
            "winner": self.winner,
            "runner_up": self.runner_up,
            "p_value": _num(self.p_value),
            "omnibus": self.omnibus.as_dict() if self.omnibus else None,
            "variants": [v.as_dict() for v in self.variants],
            "comparisons": [c.as_dict() for c in self.comparisons],
            "best_vs_runner_up": self.best_vs_runner_up.as_dict()
            if self.best_vs_runner_up
            else None,
            "readiness": self.readiness.as_dict() if self.readiness else None,
            "warnings": [w.as_dict() for w in self.warnings],
            "recommendations": [r.as_dict() for r in self.recommendations],
            "messages": dict(self.messages),
            "settings": dict(self.settings),
            "error": self.error,
        }
