"""TikTok's learning-status field: there is none.

TikTok's Business API reports no learning phase (ad groups carry ``operation_status`` and a
delivery ``secondary_status`` only; https://business-api.tiktok.com/portal/docs?id=1739314558673922),
so the sandbox, answering as TikTok does, reports none either, whatever the market's state.
"""

from __future__ import annotations


def learning_field(market_status: str, delivering: bool) -> None:
    """Nothing: TikTok has no such field."""
    return None
