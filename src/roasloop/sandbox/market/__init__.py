"""The simulated ad market: the seeded, deterministic simulator behind every sandbox and back-test.

:class:`Market` (in :mod:`.simulator`) turns ad groups, budgets and ads into daily delivery
and reported metrics; :mod:`.scenario` describes a market (the shipped ones live in
``scenarios/``). The private ``_*`` modules are the simulator's parts. Nothing here knows any
platform's API. An ad group's learning state (:meth:`Market.learning_state`) is one of
:data:`LEARNING`, :data:`LIMITED` and :data:`ACTIVE`.
"""

from roasloop.sandbox.market._state import ACTIVE, LEARNING, LIMITED
from roasloop.sandbox.market.simulator import AdDayMetrics, Audience, Market

__all__ = ["ACTIVE", "LEARNING", "LIMITED", "AdDayMetrics", "Audience", "Market"]
