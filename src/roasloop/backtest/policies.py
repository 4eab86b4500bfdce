"""The back-test's policies: the three budget policies on reports, and ``static``.

A report policy runs exactly what ``optimize_budget`` runs — the named policy, the guard
(step cap, platform minimum) and the campaign-budget guard — on snapshots built from the
market's reports as of the previous evening, with the inputs production has by default: no
shop connected, and the learning status the platform's own field reports.
``roasloop+store-orders`` is roasloop for a merchant whose shop is connected: it also reads
the campaign's daily store revenue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from roasloop.backtest.campaigns import capabilities
from roasloop.backtest.engine import Bench, Move, Policy
from roasloop.backtest.oracle import Oracle
from roasloop.bootstrap_sandbox import reported_learning
from roasloop.decisions import policies
from roasloop.decisions.policies.context import PolicyContext, policy_context

#: roasloop with a shop connected (store revenue read), reported beside the default.
WITH_STORE_ORDERS = "roasloop+store-orders"
#: Policies the back-tester knows; the first three are the optimize_budget policies.
NAMES = ("threshold", "tiered", "roasloop", WITH_STORE_ORDERS, "static", "oracle")


@dataclass(frozen=True, slots=True)
class ReportPolicy:
    """A budget policy deciding each morning on the reports as of the previous evening.

    ``policy`` is the optimize_budget policy it runs (default: ``name``); ``store_orders``
    connects the shop whatever the run's settings say.
    """

    name: str
    policy: str = ""
    store_orders: bool = False

    def morning(self, bench: Bench, day: date) -> list[Move]:
        return moves(self.evaluate(bench, day))

    def evaluate(self, bench: Bench, day: date) -> policies.Evaluation:
        """The policy's guarded decisions and findings on the morning of ``day``."""
        if day <= bench.settings.start:
            return policies.Evaluation([])  # nothing reported yet
        snapshots = bench.reports.snapshots(day - timedelta(days=1), bench.active)
        context = context_for(bench, day, store_orders=self.store_orders)
        return policies.evaluate(
            self.policy or self.name,
            snapshots,
            bench.targets,
            context,
            guard_cap=bench.settings.guard_cap,
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


def context_for(bench: Bench, day: date, *, store_orders: bool = False) -> PolicyContext:
    """What ``optimize_budget`` would know on the morning of ``day``, built as production
    builds it (:func:`~roasloop.decisions.policies.context.policy_context`).

    The delay profile is the platform's standard one (not the scenario's). The learning
    status is what the platform's own field would report for each ad set's market state —
    the sandbox's wire field read through the adapter's mapping, so nothing on TikTok and
    nothing for a paused ad set (the policy then infers it from the history). Store revenue
    only with a shop connected (``store_orders`` or the run's setting).
    """
    market, settings = bench.market, bench.settings
    platform = bench.scenario.platform
    learning = {
        group: reported_learning(platform, market.learning_state(group, day), bench.active[group])
        for group in bench.campaign.groups
    }
    connected = store_orders or settings.store_orders
    return policy_context(
        day,
        campaign_budget=bench.campaign.daily_budget,
        platform=capabilities(platform),
        guard_cap=settings.guard_cap,
        step_cap=settings.step_cap,
        learning={group: status for group, status in learning.items() if status is not None},
        edited=bench.edited,
        store_revenue=bench.reports.store_revenue(day - timedelta(days=1)) if connected else None,
        seed=bench.seed,
        pause_stance=settings.pause_stance,
    )


def make(name: str) -> Policy:
    """The policy called ``name`` (one of :data:`NAMES`); ``KeyError`` otherwise."""
    if name == "static":
        return Static()
    if name == "oracle":
        return Oracle()
    if name == WITH_STORE_ORDERS:
        return ReportPolicy(name, "roasloop", store_orders=True)
    if name in policies.REGISTRY:
        return ReportPolicy(name)
    raise KeyError(name)
