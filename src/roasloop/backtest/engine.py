"""One back-test run: a fresh market, a campaign, a policy, ``days`` simulated days.

Each morning the policy proposes moves (pause, resume, new budget), effective that day; the
account's spending limit is checked; the market simulates the day; the truth is tallied.
Learning policies see the platform's reports as of the previous evening (:mod:`.reports`);
the oracle sees the market's truth (:mod:`.oracle`). A given scenario and seed give every
policy the same random streams, so two policies' runs differ only by their decisions.

Invariants (asserted on every run): the active ad sets' budgets never sum above the campaign's
daily budget, and the run never spends more than the account's total budget, daily budget ×
days. On platforms whose daily budget is an average (Meta: a day may spend 1.75 × budget), the
engine plays the account spending limit: when a day's largest possible spend would exceed
what is left, it lowers that day's budgets (``limit_changes``, not counted as the policy's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol

from roasloop.backtest.campaigns import MarketCampaign, build, template_for
from roasloop.backtest.reports import ReportView
from roasloop.decisions.policies.config import DEFAULT_PAUSE_STANCE, PauseStance
from roasloop.decisions.snapshot import Targets
from roasloop.domain.money import CENT
from roasloop.sandbox.market import Market
from roasloop.sandbox.market.scenario import Scenario

#: A Sunday: the first day of Meta's Sunday–Saturday budget week.
START = date(2025, 3, 2)
#: Days over which a pause's "true ROAS at that moment" is averaged (a week: no weekday bias).
TRUTH_DAYS = 7


@dataclass(frozen=True, slots=True)
class RunSettings:
    days: int = 30
    start: date = START
    step_cap: Decimal | None = None  # roasloop's own largest step; None: the platform's safe step
    guard_cap: Decimal = Decimal("0.50")  # optimize_budget's guard (Settings.budget_change_cap)
    store_orders: bool = False  # a shop is connected: policies read the daily store revenue
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE  # roasloop's: patient, balanced or decisive


@dataclass(frozen=True, slots=True)
class Move:
    """Pause (``budget`` None) or set a budget; a budget for a paused ad group resumes it."""

    group: str
    budget: Decimal | None
    reason: str = ""


@dataclass
class Bench:
    """What a policy may consult each morning (learning policies use only ``reports``)."""

    scenario: Scenario
    seed: int
    market: Market
    campaign: MarketCampaign
    reports: ReportView
    settings: RunSettings
    targets: Targets
    active: dict[str, bool]
    edited: dict[str, date] = field(default_factory=dict)

    def committed(self) -> Decimal:
        """Sum of the active ad groups' daily budgets."""
        groups = self.campaign.groups
        return sum((self.market.daily_budget(g) for g in groups if self.active[g]), Decimal(0))


class Policy(Protocol):
    @property
    def name(self) -> str: ...

    def morning(self, bench: Bench, day: date) -> list[Move]:
        """Moves effective on ``day`` (nothing of ``day`` is simulated yet)."""


@dataclass(frozen=True, slots=True)
class RunMetrics:
    """One scenario × seed × policy run; money in account currency."""

    scenario: str
    family: str
    seed: int
    policy: str
    days: int
    profit: Decimal
    revenue: Decimal
    spend: Decimal
    conversions: int
    learning_resets: int
    pauses: int
    false_pauses: int
    budget_changes: int
    limit_changes: int
    budget_total: Decimal
    pause_reasons: tuple[tuple[str, int, int], ...] = ()

    @property
    def roas(self) -> Decimal | None:
        return None if not self.spend else self.revenue / self.spend

    @property
    def cpa(self) -> Decimal | None:
        return None if not self.conversions else self.spend / self.conversions


@dataclass(frozen=True, slots=True)
class RunResult:
    metrics: RunMetrics
    daily_spend: tuple[Decimal, ...]
    daily_profit: tuple[Decimal, ...]


@dataclass
class _Tally:
    spend: list[Decimal] = field(default_factory=list)
    revenue: list[Decimal] = field(default_factory=list)
    conversions: int = 0
    pauses: int = 0
    false_pauses: int = 0
    budget_changes: int = 0
    limit_changes: int = 0
    pause_reasons: dict[str, list[int]] = field(default_factory=dict)


def new_bench(scenario: Scenario, seed: int, settings: RunSettings) -> Bench:
    """A fresh market for (scenario, seed) with the scenario's back-test campaign."""
    market = Market(scenario, seed)
    campaign = build(market, template_for(scenario), settings.start)
    first = settings.start
    aovs = [market.true_parameters(ad, first).aov for ad in campaign.ads.values()]
    margin = Decimal(repr(scenario.margin))
    # The merchant's targets: break-even ROAS = 1/margin and break-even CPA = margin × AOV
    # (their own average order, as their store shows it).
    targets = Targets(
        target_roas=(1 / margin).quantize(Decimal("0.0001")),
        target_cpa=(margin * sum(aovs) / len(aovs)).quantize(CENT),
    )
    reports = ReportView(market, campaign, first)
    active = dict.fromkeys(campaign.groups, True)
    return Bench(scenario, seed, market, campaign, reports, settings, targets, active)


def run(scenario: Scenario, seed: int, policy: Policy, settings: RunSettings) -> RunResult:
    """Run ``policy`` for ``settings.days`` days on a fresh market (see the module doc)."""
    bench = new_bench(scenario, seed, settings)
    tally = _Tally()
    total = bench.campaign.daily_budget * settings.days
    for offset in range(settings.days):
        day = settings.start + timedelta(days=offset)
        _apply(bench, day, policy.morning(bench, day), tally)
        _spending_limit(bench, day, total - sum(tally.spend, Decimal(0)), tally)
        assert bench.committed() <= bench.campaign.daily_budget, "campaign budget exceeded"
        bench.market.simulate_day(day)
        _tally_day(bench, day, tally)
    assert sum(tally.spend, Decimal(0)) <= total, "account budget exceeded"
    return _result(bench, policy.name, tally, total)


def _apply(bench: Bench, day: date, moves: list[Move], tally: _Tally) -> None:
    market = bench.market
    for move in moves:
        group = move.group
        if move.budget is None:
            if bench.active[group]:
                false = was_profitable(bench, [group], day)
                tally.pauses += 1
                tally.false_pauses += false
                counts = tally.pause_reasons.setdefault(move.reason, [0, 0])
                counts[0] += 1
                counts[1] += false
                market.set_active(group, False, day)
                bench.active[group] = False
            continue
        if move.budget != market.daily_budget(group):
            market.set_daily_budget(group, move.budget, day)
            bench.edited[group] = day
            tally.budget_changes += 1
        if not bench.active[group]:
            market.set_active(group, True, day)
            bench.active[group] = True


def was_profitable(bench: Bench, groups: Sequence[str], day: date) -> bool:
    """Whether the ad groups' true ROAS, at their budgets and in their state on ``day``,
    averaged over a week of weekdays, was at least break-even (a pause of one such ad group is
    a *false* pause)."""
    market = bench.market
    spend = sum((market.daily_budget(g) for g in groups), Decimal(0)) * TRUTH_DAYS
    revenue = sum(
        (
            market.expected_outcome(g, market.daily_budget(g), day + timedelta(days=k))[1]
            for g in groups
            for k in range(TRUTH_DAYS)
        ),
        Decimal(0),
    )
    return spend > 0 and revenue * Decimal(repr(bench.scenario.margin)) >= spend


def _spending_limit(bench: Bench, day: date, remaining: Decimal, tally: _Tally) -> None:
    flex = Decimal(repr(bench.scenario.budget.daily_flex))
    most = bench.committed() * flex
    if most <= remaining:
        return
    factor = max(remaining, Decimal(0)) / most
    for group in bench.campaign.groups:
        if not bench.active[group]:
            continue
        budget = bench.market.daily_budget(group)
        lowered = (budget * factor).quantize(CENT, rounding=ROUND_FLOOR)
        if lowered < CENT:
            bench.market.set_active(group, False, day)
            bench.active[group] = False
        else:
            bench.market.set_daily_budget(group, lowered, day)
        tally.limit_changes += 1


def _tally_day(bench: Bench, day: date, tally: _Tally) -> None:
    market = bench.market
    spend = sum((market.adgroup_spend(g, day) for g in bench.campaign.groups), Decimal(0))
    outcomes = [market.true_outcome(ad, day) for ad in bench.campaign.ads.values()]
    tally.spend.append(spend)
    tally.revenue.append(sum((o.revenue for o in outcomes), Decimal(0)))
    tally.conversions += sum(o.conversions for o in outcomes)


def _result(bench: Bench, policy: str, tally: _Tally, total: Decimal) -> RunResult:
    margin = Decimal(repr(bench.scenario.margin))
    profit = [margin * r - s for r, s in zip(tally.revenue, tally.spend, strict=True)]
    spend = sum(tally.spend, Decimal(0))
    revenue = sum(tally.revenue, Decimal(0))
    metrics = RunMetrics(
        scenario=bench.scenario.name,
        family=bench.scenario.family,
        seed=bench.seed,
        policy=policy,
        days=bench.settings.days,
        profit=sum(profit, Decimal(0)).quantize(CENT),
        revenue=revenue,
        spend=spend,
        conversions=tally.conversions,
        learning_resets=bench.market.learning_resets(),
        pauses=tally.pauses,
        false_pauses=tally.false_pauses,
        budget_changes=tally.budget_changes,
        limit_changes=tally.limit_changes,
        budget_total=total,
        pause_reasons=tuple((k, v[0], v[1]) for k, v in sorted(tally.pause_reasons.items())),
    )
    return RunResult(metrics, tuple(tally.spend), tuple(p.quantize(CENT) for p in profit))
