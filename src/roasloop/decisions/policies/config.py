"""The roasloop policy's tunables, with the reason for each default."""

from __future__ import annotations

from dataclasses import dataclass, field

from roasloop.decisions.policies.anomaly import AnomalyConfig


@dataclass(frozen=True, slots=True)
class RoasloopConfig:
    # Evidence: three weeks, fading with a two-week half-life (the drift term follows trends, so
    # old days may keep weight); a day counts once half of its conversions are expected to be
    # reported (the report day itself never is on TikTok or Meta).
    window_days: int = 21
    half_life_days: float = 14.0
    min_visible: float = 0.5
    # Priors. Ad sets of a campaign differ by ~±50 % in conversion rate (creative CTR LN σ 0.35,
    # CVR σ 0.2, market_benchmarks §7); the spread is re-estimated from the campaign (empirical
    # Bayes, worth two ad sets). The campaign starts at break-even worth two conversions. Ads
    # drift down ~1 %/day (fatigue, §2). CPA elasticity ε ≈ 0.2 (§4c: +15–35 % CPA at 2×).
    rate_spread: float = 0.5
    spread_prior_sets: float = 2.0
    spread_bounds: tuple[float, float] = (0.15, 1.0)
    campaign_prior_conversions: float = 2.0
    trend_mean: float = -0.01
    trend_sd: float = 0.02
    eps_mean: float = 0.2
    eps_sd: float = 0.08
    # ε bites only above a daily spend of ``saturation_knee``: §4c's elasticities were measured
    # scaling $500–5,000/day accounts, and §7 puts the onset of audience pressure at ~$200/day
    # for a broad US audience; half of that allows for narrower audiences. Below the knee a
    # dollar earns the average ROAS (a power curve there cut ad sets at 1.0–1.25 × break-even).
    saturation_knee: float = 100.0
    # Reported conversions are over-dispersed (negative binomial, learning noise ×1.6, §7):
    # the Poisson posterior's variance is inflated by this factor.
    dispersion: float = 1.6
    aov_prior_orders: float = 10.0
    aov_spread: float = 0.7  # log-sd of single orders (§7 order_value σ 0.6, skewed)
    # Learning days convert at ~90 % of the rate the ad set keeps afterwards (learning CPA is
    # 20–50 % above an *exited* ad set's, §3, but small ad sets end "learning limited", which
    # keeps a 5–15 % penalty).
    learning_discount: float = 0.9
    # Pauses are final and need ≥ 3 break-even conversions of evidence:
    # (1) P(steady ROAS at the lowest budget reachable tomorrow ≥ break-even) < 10 % (1 %
    #     while learning); after learning, and with that chance below 25 %:
    # (2) no conversion for 4 × the break-even CPA of spend (P ≈ 2 % if CPA were on target; the
    #     rule is re-checked every morning, so a 5 % rule piles up false alarms), or
    # (3) already at the platform minimum, steady ROAS below 85 % of break-even and P(≥ it)
    #     < 15 %.
    pause_chance: float = 0.10
    pause_chance_learning: float = 0.01
    min_evidence_conversions: float = 3.0
    confirm_pause: float = 0.25
    dry_spell_cpas: float = 4.0
    floor_pause_chance: float = 0.15
    floor_pause_ratio: float = 0.85
    # A Thompson move (or its half, or quarter) goes ahead when the posterior puts the moved
    # dollars' ROAS on its side of the price with ≥ 65 % probability.
    confirm_up: float = 0.65
    confirm_down: float = 0.35
    learning_up: float = 0.65
    learning_down: float = 0.35
    # A raise waits until the day after the change has been reported: two days between
    # raises (TikTok: "wait ≥ 2 days between changes"; Meta: steps every 48–72 h, §3); cuts
    # may follow cuts daily.
    cooldown_days: int = 1
    samples: int = 400
    anomaly: AnomalyConfig = field(default_factory=AnomalyConfig)
