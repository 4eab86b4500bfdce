"""Multiple-comparison adjustments of p-values (challengers vs control).

* Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Stat. 1979:
  controls the family-wise error rate under any dependence; uniformly more powerful than
  Bonferroni. The default, as in GrowthBook.
* Benjamini & Hochberg, "Controlling the false discovery rate", JRSS-B 1995: controls the
  false discovery rate (valid for independent or positively dependent tests, which
  comparisons sharing one control are).

Adjusted p-values equal ``statsmodels.stats.multitest.multipletests`` with ``"holm"`` and
``"fdr_bh"``. Always-valid p-values may be adjusted the same way: both procedures only need
each p-value to be valid at the (random) time it is used.
"""

from __future__ import annotations

from collections.abc import Sequence

CORRECTIONS = ("holm", "bh", "none")


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg step-up adjusted p-values, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i], reverse=True)
    adjusted = [0.0] * m
    running = 1.0
    for position, index in enumerate(order):
        rank = m - position
        running = min(running, m * p_values[index] / rank)
        adjusted[index] = min(1.0, running)
    return adjusted


def adjust(p_values: Sequence[float], method: str = "holm") -> list[float]:
    """Adjust with ``"holm"``, ``"bh"`` or ``"none"``; an unknown method raises ``ValueError``."""
    if method == "holm":
        return holm(p_values)
    if method == "bh":
        return benjamini_hochberg(p_values)
    if method == "none":
        return [min(1.0, p) for p in p_values]
    raise ValueError(f"unknown correction {method!r}; expected one of {CORRECTIONS}")
