"""roasloop.scheduling."""
