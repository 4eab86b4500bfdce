"""Shipped rule presets (YAML documents of the rule language, package data).

* ``threshold`` — the specification's budget rules (the decisions of the ``threshold`` policy);
* ``tiered`` — the specification's tiered budget rules.

Their former names (``seed-design``, ``seed-tiered``) are still accepted.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from roasloop.decisions.policies import current_name
from roasloop.errors import InvalidParameter
from roasloop.translations import N_

PRESETS = ("threshold", "tiered")


def load_preset(name: str) -> dict[str, Any]:
    """The preset's rule document; ``InvalidParameter`` naming ``preset`` if unknown."""
    name = str(current_name(name))
    if name not in PRESETS:
        raise InvalidParameter(
            "preset",
            N_("unknown preset {preset}; one of {known}"),
            detail_params={"preset": repr(name), "known": ", ".join(PRESETS)},
        )
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert isinstance(document, dict)
    return document
