"""Run every scenario × seed × policy of a back-test, in parallel processes.

A job is (scenario, seed, policy); each builds its own market, so jobs are independent and
results do not depend on how they are spread over processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from roasloop.backtest import engine
from roasloop.backtest.engine import RunResult, RunSettings
from roasloop.backtest.policies import make
from roasloop.sandbox.market.scenario import Scenario, builtin_scenarios

__all__ = [
    "FAMILIES",
    "Job",
    "Scenario",
    "jobs",
    "load_scenarios",
    "run_all",
    "run_job",
    "seed_range",
]

#: The eight §8 families shipped with roasloop (``default`` and ``demo`` are not families).
FAMILIES = (
    "one_clear_winner",
    "all_mediocre",
    "late_bloomer",
    "fatigue_heavy",
    "noisy_low_volume",
    "saturating_winner",
    "weekly_seasonality",
    "broken_tracking",
)


@dataclass(frozen=True, slots=True)
class Job:
    scenario: Scenario
    seed: int
    policy: str
    settings: RunSettings


def load_scenarios(folder: Path | None = None) -> list[Scenario]:
    """The built-in families, or every ``*.yaml``/``*.yml``/``*.json`` scenario in ``folder``."""
    if folder is None:
        shipped = builtin_scenarios()
        return [shipped[name] for name in FAMILIES]
    files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
    return [Scenario.load(path) for path in files]


def seed_range(seeds: int, first_seed: int = 0) -> range:
    """Seeds ``first_seed`` … ``first_seed + seeds − 1``: 0 … 19 is the reported suite, later
    ranges are held-out tuning sets."""
    return range(first_seed, first_seed + seeds)


def jobs(
    scenarios: Sequence[Scenario],
    seeds: int,
    policies: Sequence[str],
    settings: RunSettings,
    first_seed: int = 0,
) -> list[Job]:
    """Every scenario × seed × policy over :func:`seed_range`."""
    return [
        Job(scenario, seed, policy, settings)
        for scenario in scenarios
        for seed in seed_range(seeds, first_seed)
        for policy in policies
    ]


def run_job(job: Job) -> RunResult:
    return engine.run(job.scenario, job.seed, make(job.policy), job.settings)


def run_all(
    todo: Sequence[Job],
    *,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """Results in the order of ``todo``; ``workers`` > 1 uses that many processes."""
    if workers <= 1:
        results = []
        for index, job in enumerate(todo, start=1):
            results.append(run_job(job))
            if progress:
                progress(index)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for index, result in enumerate(pool.map(run_job, todo, chunksize=4), start=1):
            results.append(result)
            if progress:
                progress(index)
        return results
