"""A campaign's ``bidding_strategy_system_status``, derived from the market's learning state.

Google reports the learning phase of a campaign's bidding strategy as a campaign attribute
(https://developers.google.com/google-ads/api/docs/campaigns/bidding/strategy-status):
``ENABLED`` once learned, ``LEARNING_<cause>`` while learning, ``LIMITED_BY_DATA`` when too
few conversions came in. The market's ad groups hold the state; roasloop's member campaigns
have one ad group each, so there the campaign's status is its ad group's (with several,
learning wins over limited over learned). The cause is the last edit that restarted the ad
group's learning (:func:`edit`); launch and a long pause are ``LEARNING_NEW``. A campaign
that is not enabled is ``PAUSED``; one with nothing delivering under it ``UNAVAILABLE``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from roasloop.sandbox.google.protocol import key_of, kind
from roasloop.sandbox.market import ACTIVE, LEARNING, LIMITED
from roasloop.sandbox.market.errors import UnknownEntity
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

#: Why an edit restarted learning, in Google's words.
NEW, BUDGET_CHANGE = "LEARNING_NEW", "LEARNING_BUDGET_CHANGE"
SETTING_CHANGE, COMPOSITION_CHANGE = "LEARNING_SETTING_CHANGE", "LEARNING_COMPOSITION_CHANGE"
#: The market's states that need no cause.
SETTLED: Mapping[str, str] = {LIMITED: "LIMITED_BY_DATA", ACTIVE: "ENABLED"}
PAUSED, UNAVAILABLE = "PAUSED", "UNAVAILABLE"
#: The ad group document's private field holding the last restart's cause.
CAUSE = "_learningCause"
_PRECEDENCE = (LEARNING, LIMITED, ACTIVE)


def system_status(market_status: str, cause: str = NEW) -> str:
    """The system status of a bidding strategy whose ad group is in ``market_status``."""
    return cause if market_status == LEARNING else SETTLED[market_status]


def learning_field(market_status: str, delivering: bool) -> str:
    """The system status of a member campaign whose one ad group is in ``market_status``
    (``delivering``: switched on); learning is ``LEARNING_NEW`` without a known cause."""
    return system_status(market_status) if delivering else PAUSED


def edit(world: SandboxWorld, group: Doc, cause: str, change: Callable[[], None]) -> None:
    """Apply one market edit of an ad group; if it restarted learning, remember ``cause``."""
    before = world.market.learning_resets(group["id"])
    change()
    if world.market.learning_resets(group["id"]) > before:
        group[CAUSE] = cause
        world.put(kind("adGroups"), group["id"], group)


def campaign_statuses(world: SandboxWorld) -> dict[str, str]:
    """Campaign id → its bidding strategy's system status at the start of today."""
    groups: dict[str, list[Doc]] = {}
    for group in world.all(kind("adGroups")):
        groups.setdefault(key_of(str(group.get("campaign"))), []).append(group)
    return {
        campaign["id"]: _campaign(world, campaign, groups.get(campaign["id"], []))
        for campaign in world.all(kind("campaigns"))
    }


def _campaign(world: SandboxWorld, campaign: Doc, groups: list[Doc]) -> str:
    if campaign.get("status") != "ENABLED":
        return PAUSED
    states = [(state, group) for group in groups if (state := _state(world, group)) is not None]
    if not states:
        return UNAVAILABLE
    state, group = min(states, key=lambda pair: _PRECEDENCE.index(pair[0]))
    return system_status(state, str(group.get(CAUSE, NEW)))


def _state(world: SandboxWorld, group: Doc) -> str | None:
    """The learning state of a delivering ad group; ``None`` for one that does not deliver."""
    try:
        if not world.market.is_active(group["id"]):
            return None
        return world.market.learning_state(group["id"], world.today())
    except UnknownEntity:
        return None
