"""roasloop.sandbox."""
