"""roasloop.store."""
