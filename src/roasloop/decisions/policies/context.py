"""What a budget policy knows besides the ad sets' snapshots: the campaign, the platform, the day.

Everything is a plain value so policies stay pure: the same context and snapshots give the
same decisions (the Thompson-sampling stream is seeded from ``seed`` and ``as_of``).
:func:`policy_context` is the one way to build it: ``optimize_budget`` and the back-test both
call it, so the back-test measures the inputs production has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from roasloop.decisions.policies.config import DEFAULT_PAUSE_STANCE, PauseStance
from roasloop.domain.attribution import TYPICAL_VISIBILITY
from roasloop.domain.enums import LearningStatus

#: Learning-phase statuses as platforms report them (market_benchmarks §3).
LEARNING = LearningStatus.LEARNING
LIMITED = LearningStatus.LIMITED
ACTIVE = LearningStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """The decision's setting.

    ``as_of``: the day whose end the reports reflect (a history day's age is counted from it).
    ``campaign_budget``: the campaign's daily budget; no policy lets the active ad sets' budgets
    sum above it (``None``: no campaign cap). ``min_budget``: the platform's ad-set minimum.
    ``step_cap``: the policy's own largest relative change per decision (the guard's cap still
    applies on top). ``maturity``: cumulative share of a day's conversions visible after 0, 1,
    2 … days (the platform's delay + reporting-lag profile). ``learning``: the platform's
    learning status per ad set id (missing: inferred from the history). ``reported_share``:
    how much of the store's real revenue the platform's tracking reports (1.0: trust reports).
    ``edited``: the day of each ad set's last significant edit, if known. ``store_revenue``:
    the merchant's own record of the campaign's revenue per day (store orders from its
    traffic), if connected; roasloop then measures ``reported_share`` itself (§8 family 8:
    "compare with store orders"). ``pause_stance``: how readily the roasloop policy pauses
    (``patient``, ``balanced`` or ``decisive``; see :data:`.config.PAUSE_STANCES`).
    """

    as_of: date
    campaign_budget: Decimal | None = None
    min_budget: Decimal = Decimal("0")
    step_cap: Decimal = Decimal("0.20")
    maturity: tuple[float, ...] = TYPICAL_VISIBILITY
    learning: Mapping[str, LearningStatus] = field(default_factory=dict)
    edited: Mapping[str, date] = field(default_factory=dict)
    reported_share: float = 1.0
    store_revenue: Mapping[date, Decimal] = field(default_factory=dict)
    seed: int = 0
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE


class PlatformFacts(Protocol):
    """The platform facts a policy needs (``ports.platform.PlatformCapabilities`` has them)."""

    @property
    def min_adset_daily_budget(self) -> Decimal: ...

    @property
    def safe_budget_step(self) -> Decimal: ...

    @property
    def report_visibility(self) -> tuple[float, ...]: ...


def policy_context(
    today: date,
    *,
    campaign_budget: Decimal | None,
    platform: PlatformFacts,
    guard_cap: Decimal,
    edited: Mapping[str, date],
    seed: int,
    learning: Mapping[str, LearningStatus] | None = None,
    store_revenue: Mapping[date, Decimal] | None = None,
    step_cap: Decimal | None = None,
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE,
) -> PolicyContext:
    """The policy's inputs on the morning of ``today``.

    Reports are pulled in the morning, so they reflect the end of yesterday (``as_of``).
    ``learning``: the status the platform's own field reports per ad set; ad sets it does not
    report (a platform without the field, a paused ad set) are inferred from their history.
    ``store_revenue``: the campaign's store revenue per day when a shop is connected,
    ``None`` otherwise; days after ``as_of`` (today's partial orders) are left out.
    ``step_cap``: the policy's own largest step, by default the platform's no-reset step;
    never above the guard's cap. ``edited``: each ad set's last budget or status write.
    """
    as_of = today - timedelta(days=1)
    revenue = {day: value for day, value in (store_revenue or {}).items() if day <= as_of}
    return PolicyContext(
        as_of=as_of,
        campaign_budget=campaign_budget,
        min_budget=platform.min_adset_daily_budget,
        step_cap=min(guard_cap, step_cap or platform.safe_budget_step),
        maturity=platform.report_visibility,
        learning=dict(learning or {}),
        edited=dict(edited),
        store_revenue=revenue,
        seed=seed,
        pause_stance=pause_stance,
    )
