"""Examples and errors per backend and action of the fuzz run (``FUZZ_REPORT`` writes them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

COUNTS: dict[str, dict[str, int]] = {}


def write_report() -> None:
    """Write the counts as JSON to ``$FUZZ_REPORT`` when that variable is set."""
    target = os.environ.get("FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps(COUNTS, indent=1, sort_keys=True), encoding="utf-8")
