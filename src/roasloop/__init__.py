"""roasloop: closed-loop paid-ads automation for TikTok, Meta and Google Ads.

``from roasloop import CampaignAutomation`` is the module API (see README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roasloop.config import PlatformMode, Settings
from roasloop.errors import RoasloopError

if TYPE_CHECKING:
    from roasloop.module import CampaignAutomation

__all__ = ["CampaignAutomation", "PlatformMode", "RoasloopError", "Settings"]


def __getattr__(name: str) -> Any:
    # The module API pulls in the store, the statistics and every adapter; loading it only
    # when asked keeps ``import roasloop.<anything>`` (and ``roasloop --help``) fast.
    if name == "CampaignAutomation":
        from roasloop.module import CampaignAutomation

        return CampaignAutomation
    raise AttributeError(f"module 'roasloop' has no attribute {name!r}")
