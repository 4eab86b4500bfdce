"""The back-test's policies: the three budget policies on reports, and ``static``.

A report policy runs exactly what ``optimize_budget`` runs — the named policy, the guard
(step cap, platform minimum) and the campaign-budget guard — on snapshots built from the
market's reports as of the previous evening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from roasloop.backtest.campaigns import capabilities
from roasloop.backtest.engine import Bench, Move, Policy
from roasloop.backtest.oracle import Oracle
from roasloop.decisions import policies
from roasloop.decisions.policies.context import PolicyContext, policy_context
from roasloop.domain.enums import LearningStatus

#: Policies the back-tester knows; the first three are the optimize_budget policies.
NAMES = ("seed-design", "seed-tiered", "roasloop", "static", "oracle")


@dataclass(frozen=True, slots=True)
class ReportPolicy:
    """A budget policy deciding each morning on the reports as of the previous evening."""

    name: str

    def morning(self, bench: Bench, day: date) -> list[Move]:
        return moves(self.evaluate(bench, day))

    def evaluate(self, bench: Bench, day: date) -> policies.Evaluation:
        """The policy's guarded decisions and findings on the morning of ``day``."""
        if day <= bench.settings.start:
            return policies.Evaluation([])  # nothing reported yet
        snapshots = bench.reports.snapshots(day - timedelta(days=1), bench.active)
        context = context_for(bench, day)
        return policies.evaluate(
            self.name, snapshots, bench.targets, context, guard_cap=bench.settings.guard_cap
        )


def moves(evaluation: policies.Evaluation) -> list[Move]:
    """The back-test moves that carry out ``evaluation``'s decisions."""
    return [Move(d.adset_id, d.new_budget, d.reason_key) for d in evaluation.decisions]


@dataclass(frozen=True, slots=True)
class Static:
    """Never changes anything."""

    name: str = "static"

    def morning(self, bench: Bench, day: date) -> list[Move]:
        return []


def context_for(bench: Bench, day: date) -> PolicyContext:
    """What ``optimize_budget`` would know on the morning of ``day``.

    The delay profile is the platform's standard one (not the scenario's), and the learning
    status is the one the platform shows; neither is the market's hidden truth.
    """
    market = bench.market
    settings = bench.settings
    return policy_context(
        day,
        campaign_budget=bench.campaign.daily_budget,
        platform=capabilities(bench.scenario.platform),
        guard_cap=settings.guard_cap,
        step_cap=settings.step_cap,
        learning={g: LearningStatus(market.learning_state(g, day)) for g in bench.campaign.groups},
        edited=bench.edited,
        store_revenue=bench.reports.store_revenue(day - timedelta(days=1))
        if settings.store_orders
        else None,
        seed=bench.seed,
        pause_stance=settings.pause_stance,
    )


def make(name: str) -> Policy:
    """The policy called ``name`` (one of :data:`NAMES`); ``KeyError`` otherwise."""
    if name == "static":
        return Static()
    if name == "oracle":
        return Oracle()
    if name in policies.REGISTRY:
        return ReportPolicy(name)
    raise KeyError(name)
