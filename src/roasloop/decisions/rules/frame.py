"""The engine's input: objects of one level as columns, daily metrics as ``(n, days)`` arrays.

Row ``i`` is one campaign, ad set or ad. Day columns run from ``first_day`` (column 0) to
the last day of the arrays, usually today. Money is integer cents (exact sums; platforms
report to the cent), counts are integers. ``-1`` marks an unknown budget or target.

Learning state: a platform that reports it fills ``learning_reported`` (0/1); otherwise
(``-1``) :func:`in_learning` derives it the way Meta describes the learning phase: an
object is learning while fewer than :data:`LEARNING_CONVERSIONS` conversions have come in
since its last significant edit (creation, a budget change, an unpause) and fewer than
:data:`LEARNING_DAYS` days have passed since that edit. After that window it is "learning
limited" at worst, which is not protected (a weak ad set must stay pausable).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roasloop.decisions.rules.catalog import COUNTS
from roasloop.domain.enums import EntityLevel
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.money import to_minor_units

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]
LEARNING_CONVERSIONS = 50
LEARNING_DAYS = 7
MONEY_COUNTS = frozenset({"spend", "revenue"})


@dataclass(frozen=True, eq=False)
class ObjectFrame:
    """Objects of one level; every array has one row per object (see the module docstring)."""

    level: EntityLevel
    first_day: date
    ids: ObjArray
    campaign_ids: ObjArray
    adset_ids: ObjArray
    account_ids: ObjArray
    platforms: ObjArray
    names: ObjArray
    statuses: ObjArray
    stages: ObjArray
    budget_cents: IntArray
    created_day: IntArray
    edit_day: IntArray
    learning_reported: IntArray
    target_roas_e4: IntArray
    target_cpa_cents: IntArray
    counts: Mapping[str, IntArray] = field(default_factory=dict)
    #: Ad sets' money bids in cents (``-1``: no money bid); ``None``: unknown for every row.
    bid_cents: IntArray | None = None

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def days(self) -> int:
        return int(self.counts["spend"].shape[1])

    @cached_property
    def bids(self) -> IntArray:
        """``bid_cents``, or ``-1`` for every row when the frame has no bids."""
        if self.bid_cents is not None:
            return self.bid_cents
        return np.full(len(self), -1, dtype=np.int64)

    def column(self, day: date) -> int:
        return (day - self.first_day).days

    def cumulative(self, name: str) -> IntArray:
        """Prefix sums of one count with a leading zero column (computed once, on first use):
        the sum over columns ``lo..hi`` is ``c[:, hi + 1] - c[:, lo]``."""
        cache = self._prefix_sums
        if name not in cache:
            values = self.counts[name]
            padded = np.zeros((values.shape[0], values.shape[1] + 1), dtype=np.int64)
            np.cumsum(values, axis=1, out=padded[:, 1:])
            cache[name] = padded
        return cache[name]

    @cached_property
    def _prefix_sums(self) -> dict[str, IntArray]:
        return {}

    @cached_property
    def lower_names(self) -> npt.NDArray[np.str_]:
        return np.array([str(n).lower() for n in self.names], dtype=np.str_)

    @cached_property
    def campaign_codes(self) -> tuple[IntArray, int]:
        """Dense codes of ``campaign_ids`` and how many distinct campaigns there are."""
        uniques, codes = np.unique(self.campaign_ids.astype(np.str_), return_inverse=True)
        return codes.astype(np.int64), int(uniques.shape[0])

    @cached_property
    def id_rank(self) -> IntArray:
        """Position of each row when rows are sorted by id (for deterministic output order)."""
        order = np.argsort(self.ids.astype(np.str_), kind="stable")
        rank = np.empty(len(self), dtype=np.int64)
        rank[order] = np.arange(len(self))
        return rank

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {str(object_id): i for i, object_id in enumerate(self.ids)}


def in_learning(frame: ObjectFrame, today: date) -> BoolArray:
    """Reported learning state, or the derived one (module docstring)."""
    today_col = frame.column(today)
    edit = np.clip(frame.edit_day, 0, frame.days)
    cum = frame.cumulative("conversions")
    since = cum[:, frame.days] - cum[np.arange(len(frame)), edit]
    derived = (today_col - frame.edit_day < LEARNING_DAYS) & (since < LEARNING_CONVERSIONS)
    reported = frame.learning_reported
    return np.where(reported >= 0, reported == 1, derived)


@dataclass(frozen=True, slots=True)
class FrameRow:
    """One object as the service knows it, before it becomes a frame row."""

    object_id: str
    campaign_id: str
    adset_id: str
    account_id: str
    platform: str
    name: str
    status: str
    stage: str
    budget: Decimal | None
    created: date
    last_edit: date | None = None
    learning: bool | None = None
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None
    daily: Mapping[date, MetricTotals] = field(default_factory=dict)
    bid: Decimal | None = None


def build_frame(
    level: EntityLevel, rows: Sequence[FrameRow], first_day: date, last_day: date
) -> ObjectFrame:
    """Columns ``first_day``..``last_day`` (inclusive) from plain rows."""
    days = (last_day - first_day).days + 1
    counts = {name: np.zeros((len(rows), days), dtype=np.int64) for name in COUNTS}
    for i, row in enumerate(rows):
        for day, metrics in row.daily.items():
            col = (day - first_day).days
            if 0 <= col < days:
                _put(counts, i, col, metrics)

    def strings(values: Sequence[str]) -> ObjArray:
        return np.array(list(values), dtype=object)

    def ints(values: Sequence[int]) -> IntArray:
        return np.array(list(values), dtype=np.int64)

    return ObjectFrame(
        level=level,
        first_day=first_day,
        ids=strings([r.object_id for r in rows]),
        campaign_ids=strings([r.campaign_id for r in rows]),
        adset_ids=strings([r.adset_id for r in rows]),
        account_ids=strings([r.account_id for r in rows]),
        platforms=strings([r.platform for r in rows]),
        names=strings([r.name for r in rows]),
        statuses=strings([r.status.lower() for r in rows]),
        stages=strings([r.stage.lower() for r in rows]),
        budget_cents=ints([_cents(r.budget) for r in rows]),
        created_day=ints([(r.created - first_day).days for r in rows]),
        edit_day=ints([((r.last_edit or r.created) - first_day).days for r in rows]),
        learning_reported=ints([-1 if r.learning is None else int(r.learning) for r in rows]),
        target_roas_e4=ints([_e4(r.target_roas) for r in rows]),
        target_cpa_cents=ints([_cents(r.target_cpa) for r in rows]),
        counts=counts,
        bid_cents=ints([_cents(r.bid) for r in rows]),
    )


def _put(counts: dict[str, IntArray], i: int, col: int, metrics: MetricTotals) -> None:
    counts["impressions"][i, col] += metrics.impressions
    counts["clicks"][i, col] += metrics.clicks
    counts["conversions"][i, col] += metrics.conversions
    counts["spend"][i, col] += to_minor_units(metrics.spend)
    counts["revenue"][i, col] += to_minor_units(metrics.revenue)


def _cents(amount: Decimal | None) -> int:
    return -1 if amount is None or amount <= 0 else to_minor_units(amount)


def _e4(value: Decimal | None) -> int:
    """Ten-thousandths: targets keep four decimals."""
    if value is None or value <= 0:
        return -1
    return int((value * 10_000).to_integral_value())
