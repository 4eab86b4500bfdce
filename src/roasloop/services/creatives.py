"""Use case: register_creative (the seed's creatives come from the Web Platform; we keep them),
and loading a launch's creatives with their media checked again before any write."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from roasloop.domain.media import MediaKind, MediaLimits, Misfit, Refusal
from roasloop.domain.models import Creative
from roasloop.errors import CreativeNotFound, InvalidParameter
from roasloop.ports.media import CheckedMedia, is_url
from roasloop.ports.platform import PlatformCapabilities
from roasloop.services.common import Deps, RequestContext, new_id
from roasloop.translations import N_

#: What a platform's limits say of media that does not fit them, by misfit.
MISFIT_MESSAGES = {
    Misfit.SIZE: N_("{platform} takes files of at most {mb} MB; this one has {actual_mb} MB"),
    Misfit.DURATION: N_(
        "{platform} takes videos of {min} to {max} seconds; this one lasts {actual} seconds"
    ),
    Misfit.SHAPE: N_(
        "{platform} takes pictures of {shapes} (width:height ≥ smallest size); "
        "this one is {width}×{height}"
    ),
}


async def register_creative(
    deps: Deps,
    ctx: RequestContext,
    *,
    name: str,
    product_url: str,
    media_url: str,
    creative_id: str | None = None,
    script: dict[str, Any] | None = None,
) -> Creative:
    """Store (or replace) a creative whose media checks out; returns it as stored."""
    media = await deps.check_media(media_url)
    async with deps.store.unit(ctx.tenant_id) as uow:
        existing = await uow.creatives.get(creative_id) if creative_id else None
        creative = Creative(
            creative_id=creative_id or new_id("cr"),
            tenant_id=ctx.tenant_id,
            name=name,
            product_url=product_url,
            media_url=media.location,
            created_at=existing.created_at if existing else deps.clock.now(),
            script=script,
        )
        await uow.creatives.save(creative)
    return creative


async def load_creatives(
    deps: Deps, ctx: RequestContext, capabilities: PlatformCapabilities, creative_ids: list[str]
) -> list[Creative]:
    """Every creative, with media this platform can take, checked before any write.

    A creative whose media is a URL the platform cannot read comes back with its media
    fetched into the media folder (``media_url`` the local file). Raises
    ``CreativeNotFound`` or ``InvalidParameter``, naming ``creative_ids[i]``.
    """
    async with deps.store.unit(ctx.tenant_id) as uow:
        found = await uow.creatives.get_many(creative_ids)
    creatives = []
    for index, creative_id in enumerate(creative_ids):
        field = f"creative_ids[{index}]"
        creative = found.get(creative_id)
        if creative is None:
            raise CreativeNotFound(
                creative_id, details={"field": field, "creative_id": creative_id}
            )
        creatives.append(await _launch_media(deps, capabilities, creative, field))
    return creatives


async def _launch_media(
    deps: Deps, capabilities: PlatformCapabilities, creative: Creative, field: str
) -> Creative:
    """The media is still there (a file may be gone since it was registered) and fits."""
    details = {"media_url": creative.media_url}
    try:
        checked = await _checked(deps, capabilities, creative.media_url)
    except InvalidParameter as error:
        raise InvalidParameter.restating(field, error, details) from None
    if checked.info is not None:
        refusal = capabilities.media.refusal(checked.info)
        if refusal is not None:
            raise _misfit(capabilities.media, checked.info.kind, refusal, field, details)
    return replace(creative, media_url=checked.location)


async def _checked(deps: Deps, capabilities: PlatformCapabilities, media_url: str) -> CheckedMedia:
    if is_url(media_url) and not capabilities.media_by_url:
        return await deps.fetch_media(media_url, capabilities.media.max_bytes)
    return await deps.check_media(media_url)


def _misfit(
    limits: MediaLimits, kind: MediaKind, refusal: Refusal, field: str, details: dict[str, Any]
) -> InvalidParameter:
    if refusal.misfit is Misfit.KIND:
        msgid = limits.refuse_video if kind.is_video else limits.refuse_image
    else:
        msgid = MISFIT_MESSAGES[refusal.misfit]
    params = {"platform": limits.platform, **refusal.params}
    return InvalidParameter(field, msgid, details=details, detail_params=params)
