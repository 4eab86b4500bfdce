"""roasloop: closed-loop paid-ads automation for TikTok, Meta and Google Ads."""

from roasloop.config import PlatformMode, Settings
from roasloop.errors import RoasloopError

__all__ = ["PlatformMode", "RoasloopError", "Settings"]
