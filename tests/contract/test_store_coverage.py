"""Every repository method has a contract test (which then runs on both backends)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_type_hints

from roasloop.ports.store import Store, UnitOfWork

HERE = Path(__file__).parent


def test_every_repository_method_is_called_by_a_contract_test() -> None:
    sources = "\n".join(path.read_text() for path in HERE.glob("test_store_*.py"))
    repositories = {
        name: kind for name, kind in get_type_hints(UnitOfWork).items() if name != "tenant_id"
    }
    assert repositories and all(kind.__abstractmethods__ for kind in repositories.values())
    missing = [
        f"uow.{name}.{method}"
        for name, kind in repositories.items()
        for method in sorted(kind.__abstractmethods__)
        if not re.search(rf"\.{name}\.{method}\(", sources)
    ]
    missing += [
        f"store.{method}"
        for method in sorted(Store.__abstractmethods__)
        if not re.search(rf"\.{method}\(", sources)
    ]
    assert missing == []
