"""Split a campaign budget so every ad set's *marginal* ROAS is equal (the KKT condition).

Each ad set has a power response curve through its operating point s0: revenue(s) =
ρ · s0 · (s/s0)^(1−ε), so its marginal ROAS is (1−ε) · ρ · (s/s0)^(−ε) — or, with a knee k,
the curve only bends above k (revenue per dollar ∝ max(s, k)^(−ε); below k, marginal ROAS =
average ROAS). Given a price p (the marginal ROAS every ad set must earn), an ad set's best
spend is the s where marginal ROAS = p, clipped to its bounds for this step. Starting from
p = the break-even ROAS, p is raised by bisection until the spends fit in the budget
(reference notes §3.3: Robyn/PyMC-Marketing allocators, Meta CBO's marginal-cost
equilibrium). Money stays float here; the caller turns spends into ``Decimal`` budgets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_BISECTIONS = 60


@dataclass(frozen=True, slots=True)
class Response:
    """One ad set's curve and the spend range it may move to in this step."""

    rho: float  # revenue per dollar at the anchor spend
    eps: float  # CPA elasticity
    anchor: float
    low: float
    high: float
    knee: float = 0.0  # spend below which the curve does not saturate (0: it always does)

    def rate(self, spend: float) -> float:
        """Revenue per dollar at ``spend``."""
        return self.rho * math.exp(-self.eps * pressure(spend, self.anchor, self.knee))

    def marginal(self, spend: float) -> float:
        saturating = spend > self.knee
        return self.rate(spend) * ((1.0 - self.eps) if saturating else 1.0)

    def spend_at(self, price: float) -> float:
        """The spend whose marginal ROAS is ``price``, within [low, high]."""
        if self.low >= self.high:
            return self.low
        if self.knee > 0 and self.rate(self.knee) <= price:
            return self.low  # even the unsaturated dollars earn less than the price
        flat = min(self.high, max(self.low, self.knee))  # the unsaturated dollars pay
        top = (1.0 - self.eps) * self.rho
        if top <= 0:
            return flat
        if self.eps < 1e-6:  # no saturation: all or nothing
            return self.high if top > price else flat
        exponent = min(math.log(top / price) / self.eps, 50.0)
        spend = max(max(self.anchor, self.knee) * math.exp(exponent), self.knee)
        return min(self.high, max(self.low, spend))


def pressure(spend: float, anchor: float, knee: float) -> float:
    """log of the audience pressure at ``spend`` relative to ``anchor``: CPA ∝ e^(ε·pressure).
    Spend below ``knee`` adds no pressure (small budgets do not saturate a broad audience)."""
    return math.log(max(spend, knee, 1e-9) / max(anchor, knee, 1e-9))


def allocate(
    responses: Sequence[Response], floor_price: float, total: float
) -> tuple[list[float], float]:
    """Spends that equalise marginal ROAS at ≥ ``floor_price`` and sum to ≤ ``total``, and
    that common marginal ROAS (the budget's shadow price, ≥ ``floor_price``)."""
    if not responses:
        return [], floor_price
    lows = sum(r.low for r in responses)
    if lows >= total:
        scaled = [r.low * total / lows for r in responses] if lows > 0 else [0.0] * len(responses)
        return scaled, max(r.marginal(r.low) for r in responses)
    spends = [r.spend_at(floor_price) for r in responses]
    if sum(spends) <= total:
        return spends, floor_price
    cheap, dear = floor_price, max(r.marginal(r.low) for r in responses) + floor_price
    for _ in range(_BISECTIONS):
        price = (cheap + dear) / 2.0
        if sum(r.spend_at(price) for r in responses) > total:
            cheap = price
        else:
            dear = price
    return [r.spend_at(dear) for r in responses], dear
