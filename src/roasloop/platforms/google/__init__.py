"""roasloop.platforms.google: the Google Ads API (REST) adapter."""
