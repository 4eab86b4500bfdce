"""Closed sets used across layers."""

from __future__ import annotations

import enum


class Platform(enum.StrEnum):
    TIKTOK = "tiktok"
    META = "meta"
    GOOGLE = "google"


class Objective(enum.StrEnum):
    SALES = "sales"
    TRAFFIC = "traffic"
    AWARENESS = "awareness"


class EntityStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DELETED = "deleted"


class EntityLevel(enum.StrEnum):
    CAMPAIGN = "campaign"
    ADSET = "adset"
    AD = "ad"


class BudgetAction(enum.StrEnum):
    """What a budget decision does to an ad set."""

    INCREASE_BUDGET = "increase_budget"
    DECREASE_BUDGET = "decrease_budget"
    PAUSE = "pause"


class LearningStatus(enum.StrEnum):
    """An ad set's learning phase as its platform reports it (market_benchmarks §3).

    ``LEARNING``: the delivery system is still exploring after launch or a significant edit.
    ``LIMITED``: the learning window passed without enough optimisation events ("learning
    limited"). ``ACTIVE``: learning is over.
    """

    LEARNING = "learning"
    LIMITED = "limited"
    ACTIVE = "active"


class BidStrategy(enum.StrEnum):
    LOWEST_COST = "lowest_cost"
    TARGET_COST = "target_cost"
    TARGET_ROAS = "target_roas"
    BID_CAP = "bid_cap"
    MAX_CONVERSION_VALUE = "max_conversion_value"


#: Strategies whose bid is money (a cost cap / target CPA, a bid cap): the bids rules and
#: the stage machine may move. Lowest cost and value bidding have none; a ROAS target is a
#: ratio, not money.
MONEY_BID_STRATEGIES = frozenset({BidStrategy.TARGET_COST, BidStrategy.BID_CAP})


class OptimizationGoal(enum.StrEnum):
    VALUE = "value"
    CONVERSIONS = "conversions"
    CLICKS = "clicks"
    REACH = "reach"
    VIDEO_VIEWS = "video_views"


class Stage(enum.StrEnum):
    """Launch stages of a product (seed 004 §3)."""

    LAUNCH = "launch"
    HEATING = "heating"
    HOT = "hot"


class OperationState(enum.StrEnum):
    """Life of one platform write in the operation log."""

    PLANNED = "planned"
    SENT = "sent"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class Trigger(enum.StrEnum):
    """Who or what caused an operation."""

    USER = "user"
    POLICY = "policy"
    RULE = "rule"
    STAGE_MACHINE = "stage_machine"
    SCHEDULER = "scheduler"
    SYSTEM = "system"


class ABTestStatus(enum.StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class QueueStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    LAUNCHED = "launched"
    REJECTED = "rejected"
