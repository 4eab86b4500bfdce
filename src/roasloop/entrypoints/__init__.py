"""roasloop.entrypoints."""
