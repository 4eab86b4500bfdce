"""roasloop.services."""
