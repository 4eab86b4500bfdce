"""roasloop.platforms."""
