"""Seeded benchmarks of roasloop; run one with ``python -m benchmarks <name>``."""
