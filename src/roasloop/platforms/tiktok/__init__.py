"""roasloop.platforms.tiktok."""
