"""PlatformAdapter port: one ad account on one ad platform.

Every amount crossing this port is a ``Decimal`` in the account currency's major units;
adapters convert to minor units or micros at their own edge. Ids are strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from roasloop.domain.attribution import TYPICAL_VISIBILITY
from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    LearningStatus,
    Objective,
    OptimizationGoal,
    Platform,
)
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Targeting
from roasloop.errors import RoasloopError


@dataclass(frozen=True, slots=True)
class PlatformCapabilities:
    """Platform facts the planner checks before any write."""

    min_campaign_daily_budget: Decimal
    min_adset_daily_budget: Decimal
    max_ad_text_length: int
    max_ads_per_adset: int
    #: The largest budget change that does not restart the learning phase.
    safe_budget_step: Decimal = Decimal("0.20")
    #: Cumulative share of a day's conversions reported after 0, 1, 2 … days
    #: (:func:`roasloop.domain.attribution.profile` of the delay and the processing lag).
    report_visibility: tuple[float, ...] = TYPICAL_VISIBILITY
    #: Whether a campaign can carry its own daily budget (TikTok campaign budget, Meta CBO).
    campaign_budgets: bool = True
    #: Budget changes one ad set may take within an hour (Meta: 4), ``None`` if unlimited.
    budget_changes_per_hour: int | None = None
    #: Whether the platform takes creative media by http(s) URL (else only uploaded bytes).
    media_by_url: bool = True
    #: Longest object name (campaign, ad set, ad) the platform takes, tag included.
    max_name_length: int = 255
    #: Most countries one ad set may target, ``None`` if unlimited.
    max_countries: int | None = None


@dataclass(frozen=True, slots=True)
class PlatformRules:
    """What can be checked about a request before any account is needed or provisioned."""

    capabilities: PlatformCapabilities
    #: Raises ``InvalidParameter`` naming ``target_countries[i]`` for an unservable country.
    check_countries: Callable[[Sequence[str]], None]


@dataclass(frozen=True, slots=True)
class MediaSpec:
    """A creative's media to upload; ``media_url`` is a local path or an http(s) URL."""

    client_key: str
    creative_id: str
    name: str
    media_url: str


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    client_key: str
    name: str
    objective: Objective
    status: EntityStatus = EntityStatus.PAUSED
    #: A campaign-level daily budget shared by its ad sets (TikTok ``BUDGET_MODE_DAY``,
    #: Meta CBO); ``None`` leaves budgets to the ad sets, as roasloop's structures do.
    daily_budget: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AdSetSpec:
    client_key: str
    campaign_id: str
    name: str
    daily_budget: Decimal
    targeting: Targeting
    optimization_goal: OptimizationGoal
    bid_strategy: BidStrategy
    start_time: datetime
    status: EntityStatus = EntityStatus.PAUSED
    bid_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AdSpec:
    client_key: str
    adset_id: str
    name: str
    media_id: str
    copy: str
    landing_url: str
    status: EntityStatus = EntityStatus.PAUSED
    call_to_action: str = "SHOP_NOW"


@dataclass(frozen=True, slots=True)
class RemoteObject:
    """An object as the platform reports it now.

    ``daily_budget`` is the object's own daily budget (``None`` when it has none, e.g. a
    campaign without a campaign budget). ``bid`` is an ad set's money bid — cost cap, bid
    cap, target CPA or CPC ceiling — in major units, ``None`` when it bids without one
    (lowest cost, maximum conversions/value without a target, ROAS targets).
    """

    level: EntityLevel
    object_id: str
    name: str
    status: EntityStatus
    parent_id: str = ""
    daily_budget: Decimal | None = None
    bid: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CampaignTree:
    campaign: RemoteObject
    adsets: tuple[RemoteObject, ...] = ()
    ads: tuple[RemoteObject, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One ad's platform-reported metrics for one day."""

    campaign_id: str
    adset_id: str
    ad_id: str
    day: date
    metrics: MetricTotals = field(default_factory=MetricTotals)


class PlatformAdapter(ABC):
    """Writes and reads for one ad account.

    Contract for every method:

    * retryable failures (timeouts, connection errors, rate limits, 5xx) are retried by
      the adapter's transport before anything is raised;
    * what is finally raised is a :class:`roasloop.errors.RoasloopError` subclass, with the
      platform's own code and request id in ``details`` (``platform_code``,
      ``platform_request_id``); invalid input raises ``InvalidParameter`` naming the field;
    * create methods put ``client_key`` into the created object's name so that
      :meth:`find_by_client_key` can find an object whose create response was lost.
    """

    platform: Platform
    capabilities: PlatformCapabilities

    @property
    @abstractmethod
    def account_id(self) -> str: ...

    @abstractmethod
    def check_countries(self, countries: Sequence[str]) -> None:
        """Raise ``InvalidParameter`` naming ``target_countries[i]`` for an unservable country.

        Called before any write, so a bad country never leaves half a structure behind.
        """

    async def prepare(self) -> None:  # noqa: B027 - optional hook
        """Fetch what creates will need (account assets, tokens) ahead of time.

        Called concurrently with the first creates of a structure so lookups do not add
        round trips to its critical path. Optional; failures surface in the later calls.
        """

    @abstractmethod
    async def upload_media(self, spec: MediaSpec) -> str:
        """Upload a creative's media; return the platform's media id."""

    @abstractmethod
    async def create_campaign(self, spec: CampaignSpec) -> str:
        """Create a campaign; return its id."""

    @abstractmethod
    async def create_adset(self, spec: AdSetSpec) -> str:
        """Create an ad set (TikTok: ad group) under ``spec.campaign_id``; return its id."""

    @abstractmethod
    async def create_ad(self, spec: AdSpec) -> str:
        """Create an ad under ``spec.adset_id``; return its id."""

    async def create_ads(self, specs: Sequence[AdSpec]) -> list[str]:
        """Create ads of one ad set, in one request where the platform allows; ids in order.

        Contract as :meth:`create_ad`; a retry after a lost response creates only the ads
        that cannot be found by their client keys.
        """
        return [await self.create_ad(spec) for spec in specs]

    @abstractmethod
    async def find_by_client_key(
        self, level: EntityLevel, client_key: str, parent_id: str = ""
    ) -> str | None:
        """Id of the non-deleted object whose name carries ``client_key``, if any."""

    @abstractmethod
    async def update_budget(self, adset_id: str, daily_budget: Decimal) -> None:
        """Set an ad set's daily budget, effective now."""

    async def update_budgets(
        self, changes: Sequence[tuple[str, Decimal]]
    ) -> list[RoasloopError | None]:
        """Set several ad sets' daily budgets; one outcome per change, in order.

        Platforms that batch writes (Meta batch requests, Google multi-operation mutates)
        send them together; the default sends one by one. Budgets are absolute values, so
        repeating a change is harmless.
        """
        outcomes: list[RoasloopError | None] = []
        for adset_id, budget in changes:
            try:
                await self.update_budget(adset_id, budget)
                outcomes.append(None)
            except RoasloopError as error:
                outcomes.append(error)
        return outcomes

    @abstractmethod
    async def update_bid(self, adset_id: str, bid: Decimal) -> None:
        """Set an ad set's money bid (cost cap, bid cap, target CPA, CPC ceiling), effective now.

        ``bid`` is in major units like budgets. Raises ``InvalidParameter`` naming
        ``adset_id`` for an unknown ad set and ``bid`` when the ad set bids without a
        money bid (lowest cost / no cap, ROAS targets) or the platform refuses the amount.
        A bid is an absolute value, so repeating the call is harmless.
        """

    @abstractmethod
    async def update_campaign_budget(self, campaign_id: str, daily_budget: Decimal) -> None:
        """Set a campaign's own daily budget (TikTok campaign budget, Meta CBO), effective now.

        Raises ``InvalidParameter`` naming ``campaign_id`` for an unknown campaign and
        ``daily_budget`` when the campaign has no daily campaign budget, the amount is below
        the platform minimum, or the platform has no campaign budgets
        (``capabilities.campaign_budgets`` is false).
        """

    @abstractmethod
    async def set_status(
        self, level: EntityLevel, object_ids: Sequence[str], status: EntityStatus
    ) -> None:
        """Set the status of objects of one level (delete is ``EntityStatus.DELETED``)."""

    @abstractmethod
    async def get_report(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        """Daily ad-level rows of one campaign for ``start``..``end`` inclusive."""

    @abstractmethod
    async def get_campaign_tree(self, campaign_id: str) -> CampaignTree:
        """The campaign with its ad sets and ads as the platform has them now."""

    @abstractmethod
    async def get_learning_statuses(self, campaign_id: str) -> dict[str, LearningStatus]:
        """Each ad set's learning phase as the platform's own field reports it now.

        Ad sets the platform reports nothing for are absent, and callers infer their phase
        from their history: Meta returns ``learning_stage_info`` for active ad sets only,
        Google's bidding-strategy status of a paused campaign names no learning phase, and
        TikTok's API has no such field (its adapter returns ``{}`` without a call).
        """

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


def client_key_tag(client_key: str) -> str:
    """The marker put into object names so a lost create can be found by lookup."""
    return f"[rl:{client_key}]"


def tagged_name(name: str, client_key: str) -> str:
    """An object's name as sent to the platform: the planned name and its lookup tag."""
    return f"{name} {client_key_tag(client_key)}"


class AdapterProvider(ABC):
    """Hands out the adapter of a tenant's bound account on a platform.

    Raises :class:`roasloop.errors.AdAccountNotBound` when the tenant has no account there
    (in sandbox mode a sandbox account is provisioned instead) and ``InvalidParameter``
    naming ``platform`` for a platform this process does not serve.
    """

    @abstractmethod
    async def adapter_for(self, tenant_id: str, platform: Platform) -> PlatformAdapter: ...

    @abstractmethod
    def rules(self, platform: Platform) -> PlatformRules:
        """The platform's rules, for checks made before :meth:`adapter_for` (which may
        provision a sandbox account); ``InvalidParameter`` for a platform not served."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release shared clients."""
