"""What a budget policy knows besides the ad sets' snapshots: the campaign, the platform, the day.

Everything is a plain value so policies stay pure: the same context and snapshots give the
same decisions (the Thompson-sampling stream is seeded from ``seed`` and ``as_of``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from roasloop.decisions.policies.config import DEFAULT_PAUSE_STANCE, PauseStance
from roasloop.domain.attribution import TYPICAL_VISIBILITY

#: Learning-phase statuses as platforms report them (market_benchmarks §3).
LEARNING = "learning"
LIMITED = "limited"
ACTIVE = "active"


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
    learning: Mapping[str, str] = field(default_factory=dict)
    edited: Mapping[str, date] = field(default_factory=dict)
    reported_share: float = 1.0
    store_revenue: Mapping[date, Decimal] = field(default_factory=dict)
    seed: int = 0
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE
