"""roasloop: closed-loop paid-ads automation for TikTok, Meta and Google Ads.

``from roasloop import CampaignAutomation`` is the module API (see README).
"""

from roasloop.config import PlatformMode, Settings
from roasloop.errors import RoasloopError
from roasloop.module import CampaignAutomation

__all__ = ["CampaignAutomation", "PlatformMode", "RoasloopError", "Settings"]
