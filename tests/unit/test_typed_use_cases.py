"""Use cases return typed results: only the module API's edge deals in plain dicts."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import roasloop.services


def _modules() -> Iterator[ModuleType]:
    package = roasloop.services
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        yield importlib.import_module(info.name)


def _public_functions() -> Iterator[tuple[str, object]]:
    for module in _modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value


def _is_plain_dict(annotation: str) -> bool:
    """``dict[str, Any]``, ``JSON`` or either inside another type (annotations are strings)."""
    return "dict[str, Any]" in annotation or "JSON" in annotation or annotation == "dict"


def test_no_use_case_returns_a_plain_dict() -> None:
    offenders = []
    for name, function in _public_functions():
        returned = inspect.get_annotations(function).get("return", "")
        if _is_plain_dict(str(returned)):
            offenders.append(name)
    assert offenders == []


def test_the_check_knows_a_plain_dict() -> None:
    assert _is_plain_dict("dict[str, Any]") and _is_plain_dict("list[JSON]")
    assert not _is_plain_dict("CreatedCampaign") and not _is_plain_dict("dict[str, date]")


def test_the_check_sees_the_use_cases() -> None:
    names = {name for name, _ in _public_functions()}
    assert "roasloop.services.campaigns.create_campaign" in names
    assert "roasloop.services.budget.optimize_budget" in names
