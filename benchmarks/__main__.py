"""``python -m benchmarks`` lists the benchmark modules; ``python -m benchmarks NAME`` runs one."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    if not argv or argv[0] not in names:
        print("benchmarks:", ", ".join(n for n in names if not n.startswith("_")))
        return 0 if not argv else 2
    module = importlib.import_module(f"benchmarks.{argv[0]}")
    result = module.main(argv[1:])
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
