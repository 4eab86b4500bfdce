"""roasloop.stats."""
