"""A structure's response lists things in the request's order, not in the order in which
its concurrent steps happened to finish."""

from __future__ import annotations

import asyncio
from pathlib import Path

from roasloop.ai.template import TemplateCopywriter
from roasloop.ports.copywriter import AdCopy, CopyRequest, Copywriter
from tests.integration.harness import build_harness
from tests.integration.steps import ok

CREATIVES = ["cr0", "cr1", "cr2"]


class FirstAnsweredLast(Copywriter):
    """The template copywriter, slowest for the request's first creative."""

    async def write(self, request: CopyRequest) -> AdCopy:
        rank = CREATIVES.index(request.creative_id)
        await asyncio.sleep(0.02 * (len(CREATIVES) - rank))
        return await TemplateCopywriter().write(request)


def test_copies_follow_the_request_s_creatives_whatever_order_they_are_written_in(
    tmp_path: Path,
) -> None:
    h = build_harness(tmp_path, copywriter=FirstAnsweredLast())
    try:
        assert h.creatives("u1", len(CREATIVES)) == CREATIVES
        params = {"objective": "sales", "daily_budget": 150, "creative_ids": CREATIVES}
        created = ok(h.execute("create_campaign", params))
        assert [copy["creative_id"] for copy in created["copies"]] == CREATIVES
    finally:
        h.close()
