"""An ad set's ``learning_stage_info``, derived from the market's learning state.

Graph returns the field only for active ad sets (and never for paused or deleted ones), as
``{"status": "LEARNING" | "SUCCESS" | "FAIL", ...}``; ``FAIL`` is Ads Manager's "Learning
limited" (https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-learning-stage-info).
The sandbox fills ``status`` only: the other members (conversions, attribution windows, the
last significant edit) describe Meta's optimiser, which the market does not model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roasloop.sandbox.market import ACTIVE, LEARNING, LIMITED
from roasloop.sandbox.market.errors import UnknownEntity
from roasloop.sandbox.world import SandboxWorld

#: The market's learning state → ``learning_stage_info.status``.
STAGE_STATUS: Mapping[str, str] = {LEARNING: "LEARNING", ACTIVE: "SUCCESS", LIMITED: "FAIL"}


def learning_field(market_status: str, delivering: bool) -> dict[str, Any] | None:
    """The field for an ad set in ``market_status``; ``None`` (absent) unless it delivers."""
    return {"status": STAGE_STATUS[market_status]} if delivering else None


def learning_stage_info(world: SandboxWorld, adset_id: str, delivering: bool) -> Any:
    """The field of one ad set as of the start of the sandbox's day."""
    if not delivering:
        return None
    try:
        status = world.market.learning_state(adset_id, world.today())
    except UnknownEntity:  # not in the market yet: nothing delivers, nothing to report
        return None
    return learning_field(status, delivering)
