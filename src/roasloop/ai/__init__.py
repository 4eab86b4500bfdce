"""roasloop.ai."""
