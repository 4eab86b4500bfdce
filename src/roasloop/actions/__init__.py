"""The module API's action registry, assembled from one module per area."""

from __future__ import annotations

from collections.abc import Mapping

from roasloop.actions import ab_tests, budget, campaigns, operations, rules, sandbox, stages
from roasloop.actions.base import Action

ACTIONS: Mapping[str, Action] = {
    **campaigns.ACTIONS,
    **budget.ACTIONS,
    **ab_tests.ACTIONS,
    **rules.ACTIONS,
    **operations.ACTIONS,
    **stages.ACTIONS,
    **sandbox.ACTIONS,
}

__all__ = ["ACTIONS", "Action"]
