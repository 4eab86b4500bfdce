"""Guards that decide whether a comparison can be trusted at all.

* **Sample-ratio mismatch** (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online
  Controlled Experiments", KDD 2019): a chi-square goodness-of-fit test of the observed traffic
  against the designed split. GrowthBook flags p < 0.001. Only meaningful when the split is
  designed (a platform split test); under auto-optimized delivery the split is an outcome.
* **Simpson's paradox**: the pooled and the stratified estimate of the same lift point in
  opposite directions and at least one of them is clearly away from zero
  (``|θ|/se ≥ z_{1−α/2}``), so pooling would have flipped the verdict.
* **Not randomized**: creatives competing inside one auto-optimized ad set are shown to
  different audiences (Braun & Schwartz, J. Marketing 2025, "divergent delivery"); the
  comparison measures "this ad under the platform's targeting", not the creative alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.special import chdtrc

from roasloop.stats.proportions import LogRatio


@dataclass(frozen=True, slots=True)
class SrmResult:
    """Goodness-of-fit of observed traffic to the designed split."""

    statistic: float | None
    p_value: float | None
    tripped: bool
    error: str | None = None


def srm_check(
    observed: Sequence[float], designed_split: Sequence[float], threshold: float = 0.001
) -> SrmResult:
    """Pearson goodness-of-fit test (``scipy.stats.chisquare``); tripped when p < threshold."""
    if len(observed) != len(designed_split) or len(observed) < 2:
        return SrmResult(None, None, False, "the designed split must give one share per variant")
    if any(share <= 0 for share in designed_split) or any(x < 0 for x in observed):
        return SrmResult(None, None, False, "shares must be positive and counts non-negative")
    total = float(sum(observed))
    if total <= 0:
        return SrmResult(None, None, False, "no traffic yet")
    share_total = float(sum(designed_split))
    expected = [total * share / share_total for share in designed_split]
    statistic = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    p_value = float(chdtrc(len(observed) - 1, statistic))
    return SrmResult(statistic, p_value, p_value < threshold)


def simpson_reversal(pooled: LogRatio, stratified: LogRatio, z_crit: float) -> bool:
    """True when pooling reverses the sign of a lift that either analysis finds clear."""
    if not (pooled.ok and stratified.ok):
        return False
    assert pooled.log_ratio is not None and pooled.variance is not None
    assert stratified.log_ratio is not None and stratified.variance is not None
    if pooled.log_ratio * stratified.log_ratio >= 0.0:
        return False
    return any(
        var > 0.0 and abs(theta) / math.sqrt(var) >= z_crit
        for theta, var in (
            (pooled.log_ratio, pooled.variance),
            (stratified.log_ratio, stratified.variance),
        )
    )
