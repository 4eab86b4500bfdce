"""Whether the campaign as a whole earns its break-even: a finding for the merchant, never a pause.

The roasloop policy pauses one ad set at a time, on strict evidence, and holds losers it cannot
yet condemn at the platform minimum. A campaign whose every ad set is mediocre then keeps
spending a few minimum budgets at a loss (the back-test's "all mediocre" family). Whether to
stop a whole campaign — or change its product, offer or audience — is the merchant's call, so
the policy says so: when the pooled evidence of the campaign's active ad sets (the steady view,
tracking share included; paused ones no longer spend) puts the chance that the campaign reaches
break-even ROAS below ``campaign_alert``, the assessment carries
``finding_campaign_below_break_even`` with the numbers behind it.

The pooled conversion rate has a Gamma posterior (Jeffreys start, shape and rate divided by the
over-dispersion factor, as the ad sets' posteriors are inflated); its order value is the
campaign's pooled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scipy import stats

from roasloop.decisions.policies.config import RoasloopConfig
from roasloop.decisions.policies.estimates import LEARNING_DAYS, PooledCampaign
from roasloop.decisions.policies.evidence import Evidence

__all__ = ["FINDING", "below_break_even"]

FINDING = "finding_campaign_below_break_even"


def _posterior(evidence: Sequence[Evidence], config: RoasloopConfig) -> Any | None:
    """Gamma posterior of the pooled reported conversions per dollar; None without exposure."""
    conversions = sum(e.conversions for e in evidence)
    exposure = sum(e.exposure for e in evidence)
    if exposure <= 0:
        return None
    shape = (conversions + 0.5) / config.dispersion
    return stats.gamma(shape, scale=config.dispersion / exposure)


def below_break_even(
    evidence: Sequence[Evidence],
    campaign: PooledCampaign,
    config: RoasloopConfig,
    days_running: int,
) -> tuple[str, dict[str, Any]] | None:
    """The finding (message key, values) when the active ad sets' pooled ``evidence`` puts the
    campaign below break-even beyond doubt; never in its first week (``days_running`` < 7:
    learning, tracking not yet calibrated)."""
    if days_running < LEARNING_DAYS:
        return None
    posterior = _posterior(evidence, config)
    if posterior is None:
        return None
    chance = float(posterior.sf(campaign.break_even_rate))
    if chance >= config.campaign_alert:
        return None
    per_conversion = campaign.aov / campaign.reported_share
    low, median, high = (float(posterior.ppf(q)) * per_conversion for q in (0.05, 0.5, 0.95))
    values = {
        "roas": round(median, 2),
        "low": round(low, 2),
        "high": round(high, 2),
        "chance": round(100 * chance, 1),
        "target": round(campaign.break_even, 2),
    }
    return FINDING, values
