"""Errors of writes named in the port's terms, whatever the platform calls the field.

The port names its inputs (``adset_id``, ``campaign_id``, ``bid``, ``daily_budget``); each
platform has its own wire names (``adgroup_id``, ``conversion_bid_price``, ``bid_amount``,
``budget`` …) and reports an unknown object as "not found". A caller deciding what to do
with a refused write should not need to know which platform refused it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roasloop.errors import InvalidParameter, NotFound, RoasloopError
from roasloop.translations import N_


def renamed(error: RoasloopError, fields: Mapping[str, str], object_field: str) -> RoasloopError:
    """``error`` naming the port's field.

    A wire field listed in ``fields`` becomes its port name; an unknown object
    (``NotFound``, or a parameter error naming an id field mapped to ``object_field``)
    becomes ``InvalidParameter`` naming ``object_field``. The platform's facts stay in
    ``details``, the wire name as ``platform_field``.
    """
    if isinstance(error, NotFound):
        return _invalid(error, object_field, error.details.get("field"))
    if isinstance(error, InvalidParameter) and error.field in fields:
        return _invalid(error, fields[error.field], error.field)
    return error


def _invalid(error: RoasloopError, field: str, wire_field: object) -> InvalidParameter:
    details = {k: v for k, v in error.details.items() if k != "field"}
    if wire_field:
        details["platform_field"] = str(wire_field)
    return InvalidParameter.restating(field, error, details)


def unknown_campaign(
    campaign_id: str, platform: str, details: dict[str, Any] | None = None
) -> InvalidParameter:
    """``campaign_id`` names no campaign on ``platform`` (its product name)."""
    params = {"campaign_id": campaign_id, "platform": platform}
    message = N_("campaign {campaign_id} not found on {platform}")
    return InvalidParameter("campaign_id", message, details=details or {}, detail_params=params)


def unknown_ad_group(adset_id: str, platform: str) -> InvalidParameter:
    """``adset_id`` names no ad group on ``platform`` (its product name)."""
    params = {"adset_id": adset_id, "platform": platform}
    return InvalidParameter(
        "adset_id", N_("ad group {adset_id} not found on {platform}"), detail_params=params
    )
