"""Summaries of back-test runs: per family and overall, and the share of the achievable gain.

Gain share of a policy = (its profit − static's) / (oracle's − static's), on profits averaged
over the seeds of a family; "overall" pools the families (sums of the per-family mean gains),
so every family weighs by the money at stake in it. The false-pause rate is false pauses ÷
pauses over all runs. Shares are undefined when the oracle does not beat static.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from scipy import stats

from roasloop.backtest.engine import RunMetrics
from roasloop.i18n import render

__all__ = [
    "OVERALL",
    "Check",
    "PairedGap",
    "RunMetrics",
    "Summary",
    "behind",
    "better_seed",
    "paired_gaps",
    "summarise",
    "target_checks",
]

OVERALL = "overall"


@dataclass(frozen=True, slots=True)
class Summary:
    """One policy in one family (or overall): means over seeds, rates over all runs."""

    family: str
    policy: str
    runs: int
    profit: float
    revenue: float
    spend: float
    pauses: int
    false_pauses: int
    learning_resets: int
    budget_changes: int
    gain_share: float | None

    @property
    def false_pause_rate(self) -> float | None:
        return self.false_pauses / self.pauses if self.pauses else None

    @property
    def roas(self) -> float | None:
        return self.revenue / self.spend if self.spend else None


def summarise(rows: Sequence[RunMetrics]) -> list[Summary]:
    """Per (family, policy) summaries, then the overall ones, in first-seen order."""
    groups: dict[tuple[str, str], list[RunMetrics]] = defaultdict(list)
    for row in rows:
        groups[(row.family, row.policy)].append(row)
    families = list(dict.fromkeys(row.family for row in rows))
    policies = list(dict.fromkeys(row.policy for row in rows))
    means = {key: _mean(m.profit for m in runs) for key, runs in groups.items()}
    out = [
        _summary(family, policy, groups[(family, policy)], _share(means, [family], policy))
        for family in families
        for policy in policies
        if (family, policy) in groups
    ]
    for policy in policies:
        runs = [m for f in families for m in groups.get((f, policy), [])]
        share = _share(means, families, policy)
        total = sum((means.get((f, policy), 0.0) for f in families), 0.0)
        # Overall profit: the mean over families of the per-family means (equal weights).
        summary = _summary(OVERALL, policy, runs, share)
        out.append(replace(summary, profit=total / len(families)))
    return out


def _share(means: dict[tuple[str, str], float], families: list[str], policy: str) -> float | None:
    keys = [(f, p) for f in families for p in (policy, "static", "oracle")]
    if any(k not in means for k in keys):
        return None
    gain = sum(means[(f, policy)] - means[(f, "static")] for f in families)
    room = sum(means[(f, "oracle")] - means[(f, "static")] for f in families)
    return gain / room if room > 0 else None


def _summary(family: str, policy: str, runs: list[RunMetrics], share: float | None) -> Summary:
    return Summary(
        family=family,
        policy=policy,
        runs=len(runs),
        profit=_mean(m.profit for m in runs),
        revenue=_mean(m.revenue for m in runs),
        spend=_mean(m.spend for m in runs),
        pauses=sum(m.pauses for m in runs),
        false_pauses=sum(m.false_pauses for m in runs),
        learning_resets=sum(m.learning_resets for m in runs),
        budget_changes=sum(m.budget_changes for m in runs),
        gain_share=share,
    )


def _mean(values: Iterable[Decimal | float]) -> float:
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else 0.0


@dataclass(frozen=True, slots=True)
class Check:
    """One back-test target: what it asks (message key), whether it is met, and the numbers
    (``detail``, or a message key with its values when the detail is a sentence)."""

    target_key: str
    met: bool
    detail: str
    detail_key: str = ""
    detail_params: dict[str, str] = field(default_factory=dict)

    def target(self, locale: str = "en") -> str:
        return render(self.target_key, locale)

    def details(self, locale: str = "en") -> str:
        if not self.detail_key:
            return self.detail
        return render(self.detail_key, locale, **self.detail_params)


SEEDS = ("threshold", "tiered")


def target_checks(summaries: Sequence[Summary], policy: str = "roasloop") -> list[Check]:
    """The back-test targets for ``policy`` (empty if a needed policy was not run)."""
    index = {(s.family, s.policy): s for s in summaries}
    needed = [(OVERALL, p) for p in (policy, *SEEDS)]
    if any(k not in index for k in needed) or index[(OVERALL, policy)].gain_share is None:
        return []
    ours = index[(OVERALL, policy)]
    best_seed = better_seed(summaries)
    share, seed_share = ours.gain_share or 0.0, best_seed.gain_share or 0.0
    short = [f"{f} ({mine:,.0f} vs {seed:,.0f})" for f, mine, seed in behind(summaries, policy)]
    rates = ", ".join(
        f"{s.policy} {_pct(s.false_pause_rate)}" for s in (index[(OVERALL, p)] for p in SEEDS)
    )
    points = {
        "share": f"{share:.1%}",
        "policy": best_seed.policy,
        "rival_share": f"{seed_share:.1%}",
        "points": f"{100 * (share - seed_share):.1f}",
    }
    families_key, families_params = (
        ("bt_short_in", {"families": "; ".join(short)}) if short else ("bt_all_families", {})
    )
    return [
        Check("bt_target_gain", share >= 0.7, f"{share:.1%}"),
        Check("bt_target_families", not short, "", families_key, families_params),
        Check("bt_target_points", share - seed_share >= 0.2, "", "bt_points", points),
        Check(
            "bt_target_false_pauses",
            (ours.false_pause_rate or 0.0) <= 0.05,
            f"{_pct(ours.false_pause_rate)} ({ours.false_pauses}/{ours.pauses}); {rates}",
        ),
    ]


def better_seed(summaries: Sequence[Summary]) -> Summary:
    """The seed policy with the larger overall gain share."""
    overall = [s for s in summaries if s.family == OVERALL and s.policy in SEEDS]
    return max(overall, key=lambda s: s.gain_share if s.gain_share is not None else -1e9)


def behind(
    summaries: Sequence[Summary], policy: str = "roasloop"
) -> list[tuple[str, float, float]]:
    """(family, ``policy``'s mean profit, the better seed policy's there) wherever the former
    is lower."""
    index = {(s.family, s.policy): s for s in summaries}
    out = []
    for (family, name), ours in index.items():
        seeds = [index[(family, p)].profit for p in SEEDS if (family, p) in index]
        if name == policy and family != OVERALL and seeds and ours.profit < max(seeds):
            out.append((family, ours.profit, max(seeds)))
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@dataclass(frozen=True, slots=True)
class PairedGap:
    """``policy``'s profit minus ``rival``'s in one family: the mean over seeds and its 95 %
    confidence interval, paired by seed (both ran on the same market streams)."""

    family: str
    rival: str
    mean: float
    low: float
    high: float
    seeds: int


def paired_gaps(rows: Sequence[RunMetrics], policy: str = "roasloop") -> list[PairedGap]:
    """Per family, ``policy`` against the seed policy with the higher mean profit there."""
    profit = {(m.family, m.policy, m.seed): float(m.profit) for m in rows}
    gaps = []
    for family in dict.fromkeys(m.family for m in rows):
        seeds = sorted({s for f, p, s in profit if f == family and p == policy})
        rivals = [p for p in SEEDS if all((family, p, s) in profit for s in seeds)]
        if len(seeds) < 2 or not rivals:
            continue
        rival = max(rivals, key=lambda p: sum(profit[(family, p, s)] for s in seeds))
        diffs = [profit[(family, policy, s)] - profit[(family, rival, s)] for s in seeds]
        mean = sum(diffs) / len(diffs)
        half = float(stats.t.ppf(0.975, len(diffs) - 1)) * stats.sem(diffs)
        gaps.append(PairedGap(family, rival, mean, mean - half, mean + half, len(seeds)))
    return gaps
