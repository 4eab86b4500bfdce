"""The roasloop policy's tunables, with the reason for each default."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from roasloop.decisions.policies.anomaly import AnomalyConfig

#: How readily the roasloop policy pauses (``optimize_budget``'s ``pause_stance``).
PauseStance = Literal["patient", "balanced", "decisive"]
PAUSE_STANCES: tuple[PauseStance, ...] = get_args(PauseStance)
DEFAULT_PAUSE_STANCE: PauseStance = "balanced"


@dataclass(frozen=True, slots=True)
class RoasloopConfig:
    # Evidence: three weeks, fading with a ten-day half-life (the drift term follows trends, so
    # old days may keep weight); a day counts once a quarter of its conversions is expected to
    # be reported — the report day itself does (≈ 41 % visible on TikTok and Meta), weighted
    # by that share, so the first morning already reads yesterday's clicks and early orders.
    window_days: int = 21
    half_life_days: float = 10.0
    min_visible: float = 0.25
    # Exposure in clicks, at today's clicks per dollar (last week, faded with a one-day
    # half-life; 0: plain dollars). Delivery is reported in full the same evening and
    # conversions only over days, so a creative's click-through and CPM — fatigue's falling CTR
    # and rising CPM included — are measured, and the posterior learns conversions per click.
    click_half_life: float = 1.0
    # Priors. Ad sets of a campaign differ by ~±30 % in conversions per click (creative CVR
    # σ 0.2, market_benchmarks §7, plus learning penalties of 15–40 %); their click-through
    # (CTR σ 0.35) is measured, not pooled. The spread is re-estimated from the campaign
    # (empirical Bayes, worth two ad sets). The campaign starts at break-even worth two
    # conversions. Conversions per click have no prior drift (fatigue wears CTR and CPM, §2,
    # which the clicks carry; learning and warm-up move CVR either way). CPA elasticity
    # ε ≈ 0.2 (§4c: +15–35 % CPA at 2×).
    rate_spread: float = 0.3
    spread_prior_sets: float = 2.0
    spread_bounds: tuple[float, float] = (0.15, 1.0)
    campaign_prior_conversions: float = 2.0
    trend_mean: float = 0.0
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
    # Learning days convert at ~80 % of the rate the ad set keeps afterwards (learning CPA is
    # 20–50 % above an *exited* ad set's, §3; small ad sets end "learning limited", which
    # keeps a 5–15 % penalty).
    learning_discount: float = 0.8
    # Pauses are final, need ≥ 3 break-even conversions of evidence, and are re-checked every
    # morning — each look is another chance of a false alarm, so each test is strict:
    # (1) P(steady ROAS at the lowest budget reachable tomorrow ≥ break-even) < 4 % — the
    #     steady view already judges a learning ad set on its post-learning rate, so learning
    #     gets no stricter threshold; or, after learning and with that chance below 25 %,
    # (2) no conversion for 6 × the break-even CPA of spend (P ≈ 0.25 % if CPA were on target).
    pause_chance: float = 0.04
    min_evidence_conversions: float = 3.0
    confirm_pause: float = 0.25
    dry_spell_cpas: float = 6.0
    # The campaign as a whole: below this chance of reaching break-even ROAS on its active ad
    # sets' pooled evidence, the assessment tells the merchant (a finding, not a pause; see
    # :mod:`.campaign_health`). 10 %: on the back-test it fires in 18 of 20 all-mediocre runs
    # (median day 12) and 19 of 20 fatigue-heavy runs (day 7), and 59 of its 69 first alerts
    # were right; 5 %: 11 of 20 all-mediocre runs, day 15 (docs/benchmarks.md, "Why two §5
    # targets stay unmet").
    campaign_alert: float = 0.10
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


#: The pause rules of each stance (``balanced`` is :class:`RoasloopConfig`'s defaults). Each
#: stance is stricter or looser than the next in all four rules at once, so its pauses are a
#: subset (patient) or a superset (decisive) of balanced's on the same data. Measured on the
#: back-test (docs/benchmarks.md, "Pause stances"): patient gives up ~2 points of the gain for
#: fewer false pauses; decisive gains 4-6 points at 3-6 × balanced's false-pause rate.
_STANCE_RULES: dict[str, dict[str, float]] = {
    "patient": {
        "pause_chance": 0.02,
        "confirm_pause": 0.15,
        "min_evidence_conversions": 4.0,
        "dry_spell_cpas": 8.0,
    },
    "balanced": {},
    "decisive": {
        "pause_chance": 0.15,
        "confirm_pause": 0.5,
        "min_evidence_conversions": 2.0,
        "dry_spell_cpas": 4.0,
    },
}


def config_for(stance: PauseStance = DEFAULT_PAUSE_STANCE) -> RoasloopConfig:
    """The policy's configuration with ``stance``'s pause rules; ``KeyError`` if unknown."""
    return replace(RoasloopConfig(), **_STANCE_RULES[stance])  # type: ignore[arg-type]
