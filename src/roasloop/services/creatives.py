"""Use case: register_creative (the seed's creatives come from the Web Platform; we keep them)."""

from __future__ import annotations

from typing import Any

from roasloop.domain.models import Creative
from roasloop.i18n import both
from roasloop.services.common import Deps, RequestContext, new_id

JSON = dict[str, Any]


async def register_creative(
    deps: Deps,
    ctx: RequestContext,
    *,
    name: str,
    product_url: str,
    media_url: str,
    creative_id: str | None = None,
    script: JSON | None = None,
) -> JSON:
    """Store (or replace) a creative; returns its id."""
    existing = await deps.store.get_creative(ctx.tenant_id, creative_id) if creative_id else None
    creative = Creative(
        creative_id=creative_id or new_id("cr"),
        tenant_id=ctx.tenant_id,
        name=name,
        product_url=product_url,
        media_url=media_url,
        created_at=existing.created_at if existing else deps.clock.now(),
        script=script,
    )
    await deps.store.save_creative(creative)
    return {
        "status": "success",
        "creative_id": creative.creative_id,
        "name": creative.name,
        "product_url": creative.product_url,
        "messages": both("creative_registered"),
    }
