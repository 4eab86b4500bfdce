"""The seed's rule shape, read as a document of the rich language.

Seed 000: ``create_rule(rule_name, condition={metric, operator, value, time_range},
action={type, pct?}, applies_to={campaign_ids?, adset_ids?, name_contains?})``. It means the
rich document below, which is how it is compiled: the window defaults to the seed's
``24h`` and, because the seed has no learning-phase protection, ``learning_phase`` is
``include``; everything else (cooldown one day, the global step cap) is the rich default.
A call is seed-shaped only when it uses exactly the seed's keys; a flat condition written
with ``window`` or an action with a ``change_spec`` is the rich shape (learning protected).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The seed's keys; a create call using only these (and no rich part) is seed-shaped.
SEED_CONDITION = frozenset({"metric", "operator", "value", "time_range"})
SEED_ACTION = frozenset({"type", "pct"})
SEED_SCOPE = frozenset({"campaign_ids", "adset_ids", "name_contains"})


def is_seed_shape(
    condition: Mapping[str, Any] | None,
    action: Mapping[str, Any] | None,
    applies_to: Mapping[str, Any] | None,
    rich_parts: Mapping[str, Any],
) -> bool:
    """Exactly the seed's keys (``{metric, operator, value, time_range}``, ``{type, pct}``,
    ``{campaign_ids, adset_ids, name_contains}``) and no rich-only part given."""
    if not isinstance(condition, Mapping) or "metric" not in condition:
        return False
    return (
        set(condition) <= SEED_CONDITION
        and set(action or {}) <= SEED_ACTION
        and set(applies_to or {}) <= SEED_SCOPE
        and not any(v is not None for v in rich_parts.values())
    )


def seed_document(
    name: str,
    condition: Mapping[str, Any],
    action: Mapping[str, Any],
    applies_to: Mapping[str, Any],
) -> dict[str, Any]:
    """The rich document a seed-shaped rule stands for."""
    return {
        "name": name,
        "window": "24h",
        "condition": dict(condition),
        "action": {"reason": "reason_rule", **dict(action)},
        "applies_to": dict(applies_to),
        "safeguards": {"learning_phase": "include"},
    }
