"""The demo's full result as JSON, generated ids masked: compare two versions of roasloop.

``python -m benchmarks demo_record OUT.json [LOCALE]`` runs the 30-day demo (market 7) with
whichever ``roasloop`` is importable and writes everything its report shows. Run it once
with ``PYTHONPATH=<an older checkout>/src`` and once without, then ``diff`` the two files:
a refactoring that changes no behaviour leaves them identical.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from pathlib import Path

from roasloop.demo import run_demo

#: Ids made from random or wall-clock parts (requests, keys, log entries, creatives …).
GENERATED_ID = re.compile(r"\b(req|idem|op|cr|exec|rule|abt|lease)_[0-9a-f]{6,}\b")


def record(locale: str) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        result = run_demo(Path(scratch) / "demo", days=30, seed=7, locale=locale)
    text = json.dumps(
        dataclasses.asdict(result), default=str, indent=1, sort_keys=True, ensure_ascii=False
    )
    return GENERATED_ID.sub(r"\1_X", text)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    locale = argv[1] if len(argv) > 1 else "en"
    Path(argv[0]).write_text(record(locale), encoding="utf-8")
    return 0
