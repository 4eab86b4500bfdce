"""The simulated ad market: the seeded, deterministic simulator behind every sandbox and back-test.

:class:`Market` (in :mod:`.simulator`) turns ad groups, budgets and ads into daily delivery
and reported metrics; :mod:`.scenario` describes a market (the shipped ones live in
``scenarios/``). The private ``_*`` modules are the simulator's parts. Nothing here knows any
platform's API.
"""

from roasloop.sandbox.market.simulator import AdDayMetrics, Audience, Market

__all__ = ["AdDayMetrics", "Audience", "Market"]
