"""Shipped rule presets (YAML documents of the rule language, package data).

* ``seed-design`` — seed 000's budget rules (same decisions as ``decisions.policies.threshold``);
* ``seed-tiered`` — seed 004 §15.2's tiered budget rules.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from roasloop.errors import InvalidParameter
from roasloop.translations import N_

PRESETS = ("seed-design", "seed-tiered")


def load_preset(name: str) -> dict[str, Any]:
    """The preset's rule document; ``InvalidParameter`` naming ``preset`` if unknown."""
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
