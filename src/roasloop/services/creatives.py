"""Use case: register_creative (the seed's creatives come from the Web Platform; we keep them),
and loading a launch's creatives with their media checked again before any write."""

from __future__ import annotations

from typing import Any

from roasloop.domain.models import Creative
from roasloop.errors import CreativeNotFound, InvalidParameter
from roasloop.ports.media import is_url
from roasloop.ports.platform import PlatformCapabilities
from roasloop.services.common import Deps, RequestContext, new_id


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

    Raises ``CreativeNotFound`` or ``InvalidParameter``, naming ``creative_ids[i]``.
    """
    async with deps.store.unit(ctx.tenant_id) as uow:
        found = await uow.creatives.get_many(creative_ids)
    for index, creative_id in enumerate(creative_ids):
        field = f"creative_ids[{index}]"
        creative = found.get(creative_id)
        if creative is None:
            raise CreativeNotFound(
                creative_id, details={"field": field, "creative_id": creative_id}
            )
        await _check_launch_media(deps, capabilities, creative, field)
    return [found[creative_id] for creative_id in creative_ids]


async def _check_launch_media(
    deps: Deps, capabilities: PlatformCapabilities, creative: Creative, field: str
) -> None:
    """The media is still there (a file may be gone since it was registered) and fits."""
    if is_url(creative.media_url) and not capabilities.media_by_url:
        raise InvalidParameter(field, "needs a file", detail_key="check_media_file_needed")
    try:
        await deps.check_media(creative.media_url)
    except InvalidParameter as error:
        raise InvalidParameter(
            field,
            error.detail,
            details={"media_url": creative.media_url},
            detail_key=error.detail_key,
            detail_params=error.detail_params,
        ) from None
