"""The sandbox clock: runs with its base, only moves ahead, and later processes pick it up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.clock import save_now
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld
from roasloop.sandbox_control import SandboxClock, advance_saved, restore

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_it_runs_with_its_base_and_never_goes_back() -> None:
    base = SimulatedClock(START)
    clock = SandboxClock(base)
    assert clock.now() == START
    assert clock.advance(timedelta(days=2)) == START + timedelta(days=2)
    clock.move_to(START)  # earlier: no effect
    base.advance(timedelta(hours=1))
    assert clock.now() == START + timedelta(days=2, hours=1)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_a_later_process_runs_as_far_ahead_as_the_sandbox_was_moved(tmp_path: Path) -> None:
    base = SimulatedClock(START)
    worlds = [SandboxWorld(tmp_path / f"{n}.db", base, Scenario.default()) for n in "ab"]
    try:
        moved = advance_saved(worlds, SandboxClock(base), days=3)
        assert moved == START + timedelta(days=3)
        base.advance(timedelta(hours=5))  # wall time passes between two commands
        later = SandboxClock(base)
        restore(worlds[1:], later)  # any one world is enough
        assert later.now() == START + timedelta(days=3, hours=5)
        with pytest.raises(ValueError):
            advance_saved(worlds, later, days=0)
    finally:
        for world in worlds:
            world.close()


def test_a_served_sandboxs_moment_is_a_floor(tmp_path: Path) -> None:
    base = SimulatedClock(START)
    world = SandboxWorld(tmp_path / "served.db", base, Scenario.default())
    try:
        save_now([world], START + timedelta(days=4))  # what the served sandbox keeps
        clock = SandboxClock(base)
        restore([world], clock)
        assert clock.now() == START + timedelta(days=4)
    finally:
        world.close()
