"""roasloop.decisions."""
