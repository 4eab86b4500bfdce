"""Rule-engine throughput: one cycle of 20 rules over 100,000 ad sets × 30 days of daily data.

    .venv/bin/python -m benchmarks.rules_throughput            # the target run
    .venv/bin/python -m benchmarks.rules_throughput --adsets 10000 --naive 1000

Targets (issue 4 §5): ≤ 2 s of CPU (``time.process_time``) and ≤ 1 GB peak memory for the
cycle. The same process also times a **naive per-object Python loop** — the shape of the
engine this replaced: per ad set, per rule, sum the window's ``MetricTotals`` (``Decimal``
money) and compare exactly — on a random subset of ``--naive`` ad sets, extrapolated
linearly to all ad sets (its cost is strictly per object). The naive loop's matches on the
subset are checked against the engine's (they must agree exactly).

The data are synthetic and seeded (Poisson impressions, binomial clicks and conversions,
per-ad-set CVR/CPC/AOV), 1,000 campaigns of 100 ad sets, 10 % paused, creation dates
spread over the window, plus a ledger of 10,000 past executions.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from benchmarks._rules_naive import NaiveObject, naive_branches
from roasloop.decisions.presets import load_preset
from roasloop.decisions.rules import (
    CyclePlan,
    Ledger,
    Limits,
    ObjectFrame,
    Outcome,
    PastExecution,
    Rule,
    parse_rule,
    run_cycle,
)
from roasloop.domain.enums import EntityLevel

NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
DAYS = 30
TARGET_CPU_S = 2.0
TARGET_PEAK_MB = 1024.0

RULE_DOCUMENTS: list[dict[str, Any]] = [
    load_preset("threshold"),
    load_preset("tiered"),
    {
        "condition": {
            "metric": "cpa",
            "operator": ">",
            "value": "1.5 * target_cpa",
            "attribution_lag_days": 1,
        },
        "action": {"type": "decrease_budget", "pct": 15},
    },
    {
        "condition": {
            "metric": "spend_since_last_conversion",
            "operator": ">",
            "value": "3 * target_cpa",
        },
        "action": {"type": "pause"},
    },
    {
        "condition": {
            "all": [
                {"metric": "roas", "operator": "between", "value": [2, 4], "window": "last_3d"},
                {"metric": "conversions", "operator": ">=", "value": 5, "window": "last_3d"},
            ]
        },
        "action": {
            "type": "increase_budget",
            "change_spec": {"amount": 10, "unit": "percentage", "limit": 400},
        },
    },
    {
        "condition": {
            "metric": "ctr",
            "operator": "changed_by_pct",
            "value": -30,
            "window": "last_3d",
        },
        "action": {"type": "notify"},
    },
    {
        "condition": {
            "any": [
                {"metric": "cpc", "operator": ">", "value": 1.2},
                {"metric": "cpm", "operator": ">", "value": 30},
            ]
        },
        "action": {"type": "decrease_budget", "change_spec": {"amount": 5, "unit": "currency"}},
    },
    {
        "condition": {
            "all": [
                {
                    "metric": "budget_utilization",
                    "operator": "<",
                    "value": 0.5,
                    "window": "last_3d",
                },
                {"metric": "days_running", "operator": ">=", "value": 5},
            ]
        },
        "action": {"type": "decrease_budget", "pct": 20},
    },
    {
        "condition": {
            "all": [
                {"metric": "name", "operator": "contains", "value": "18-35"},
                {"metric": "roas", "operator": ">", "value": 3, "window": "last_14d"},
            ]
        },
        "action": {"type": "increase_budget", "pct": 25, "max_budget": 800},
    },
    {
        "condition": {
            "all": [
                {"metric": "stage", "operator": "in", "value": ["hot"]},
                {"metric": "roas", "operator": ">=", "value": "target_roas"},
            ]
        },
        "action": {"type": "set_budget", "change_spec": {"amount": 300, "unit": "currency"}},
    },
    {
        "condition": {
            "all": [
                {"metric": "conversions", "operator": "==", "value": 0, "window": "last_3d"},
                {"metric": "spend", "operator": ">", "value": "0.5 * budget", "window": "last_3d"},
            ]
        },
        "action": {"type": "pause"},
    },
    {
        "condition": {
            "all": [
                {"metric": "roas", "operator": "<", "value": 0.5, "window": "lifetime"},
                {"metric": "days_running", "operator": ">=", "value": 14},
            ]
        },
        "action": {"type": "pause"},
    },
    {
        "condition": {"metric": "cvr", "operator": ">", "value": 0.05, "window": "last_5d"},
        "action": {
            "type": "scale_budget",
            "change_spec": {"target_field": "cpa", "target_value": "target_cpa"},
        },
    },
    {
        "condition": {
            "metric": "cpa",
            "operator": "<",
            "value": "0.5 * target_cpa",
            "window": "last_30d",
        },
        "action": {"type": "increase_budget", "pct": 30},
        "safeguards": {"max_executions_per_day": 1000},
    },
    {"condition": {"metric": "roas", "operator": ">", "value": 2}, "action": {"type": "unpause"}},
    {
        "condition": {
            "metric": "impressions",
            "operator": ">",
            "value": 2500,
            "window": "yesterday",
        },
        "action": {"type": "notify"},
    },
    {
        "condition": {"metric": "revenue", "operator": ">", "value": "3 * spend"},
        "action": {"type": "increase_budget", "pct": 15},
    },
    {
        "condition": {
            "metric": "clicks",
            "operator": "not_between",
            "value": [15, 40],
            "window": "yesterday",
        },
        "action": {"type": "notify"},
    },
    {
        "condition": {
            "all": [
                {"metric": "roas", "operator": ">", "value": "target_roas"},
                {
                    "any": [
                        {"metric": "ctr", "operator": ">", "value": 0.015},
                        {"metric": "cvr", "operator": ">", "value": 0.03},
                    ]
                },
            ]
        },
        "action": {"type": "increase_budget", "pct": 10},
    },
    {
        "condition": {
            "all": [
                {"metric": "days_without_conversions", "operator": ">=", "value": 5},
                {"metric": "spend", "operator": ">", "value": 20, "window": "last_5d"},
            ]
        },
        "action": {"type": "pause"},
    },
]


def build_rules() -> list[Rule]:
    return [
        parse_rule({"name": f"r{i:02d}", **doc}, f"r{i:02d}")
        for i, doc in enumerate(RULE_DOCUMENTS)
    ]


def synthetic_frame(n: int, seed: int = 7) -> ObjectFrame:
    """``n`` ad sets, ``DAYS`` complete days plus today (empty)."""
    rng = np.random.default_rng(seed)
    days = DAYS + 1
    impressions = rng.poisson(2000, (n, days))
    clicks = rng.binomial(impressions, 0.012)
    cvr = rng.beta(2, 60, n)[:, None]
    conversions = rng.binomial(clicks, cvr)
    cpc = rng.integers(30, 120, n)[:, None]
    spend = clicks * cpc
    aov = rng.integers(2000, 9000, n)[:, None]
    revenue = conversions * aov
    created = rng.integers(-20, DAYS - 2, n)
    live = np.arange(days)[None, :] >= created[:, None]
    live[:, DAYS] = False
    counts = {
        "impressions": impressions * live,
        "clicks": clicks * live,
        "conversions": conversions * live,
        "spend": spend * live,
        "revenue": revenue * live,
        "reach": np.zeros((n, days), dtype=np.int64),
    }
    campaigns = np.arange(n) // 100
    ids = np.array([f"as{i:06d}" for i in range(n)], dtype=object)
    ages = np.array(["18-35", "36-50", "51-65"], dtype=object)[np.arange(n) % 3]
    return ObjectFrame(
        level=EntityLevel.ADSET,
        first_day=NOW.date() - timedelta(days=DAYS),
        ids=ids,
        campaign_ids=np.array([f"c{c:04d}" for c in campaigns], dtype=object),
        adset_ids=ids,
        account_ids=np.array([f"acct{c // 100}" for c in campaigns], dtype=object),
        platforms=np.full(n, "tiktok", dtype=object),
        names=np.array([f"US {a} #{i}" for i, a in enumerate(ages)], dtype=object),
        statuses=np.where(rng.random(n) < 0.9, "active", "paused").astype(object),
        stages=np.array(["launch", "heating", "hot"], dtype=object)[rng.integers(0, 3, n)],
        budget_cents=rng.integers(20, 500, n).astype(np.int64) * 100,
        created_day=created.astype(np.int64),
        edit_day=(created + rng.integers(0, 5, n)).astype(np.int64),
        learning_reported=np.full(n, -1, dtype=np.int64),
        target_roas_e4=(rng.integers(15, 40, campaigns.max() + 1) * 1000)[campaigns].astype(
            np.int64
        ),
        target_cpa_cents=(rng.integers(10, 60, campaigns.max() + 1) * 100)[campaigns].astype(
            np.int64
        ),
        counts={k: v.astype(np.int64) for k, v in counts.items()},
    )


def synthetic_ledger(frame: ObjectFrame, rules: list[Rule], size: int = 10_000) -> Ledger:
    rng = np.random.default_rng(3)
    rows = rng.integers(0, len(frame), size)
    picks = rng.integers(0, len(rules), size)
    ages = rng.integers(1, 72 * 60, size)
    return Ledger(
        PastExecution(rules[p].rule_id, str(frame.ids[r]), NOW - timedelta(minutes=int(a)))
        for r, p, a in zip(rows.tolist(), picks.tolist(), ages.tolist(), strict=True)
    )


# --- measurement --------------------------------------------------------------------------------
def _cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def _decide(rules: list[Rule], frame: ObjectFrame, ledger: Ledger) -> CyclePlan:
    return run_cycle(rules, [frame], NOW, ledger, Limits(minimums={("tiktok", "adset"): 2000}))


def _naive(rules: list[Rule], objects: list[NaiveObject]) -> list[list[int]]:
    return [[naive_branches(rule, obj, NOW.date()) for rule in rules] for obj in objects]


def memory_probe(adsets: int) -> tuple[float, float, float]:
    """In a fresh process: data size, the cycle's peak above the data, and max RSS (MB)."""
    rules = build_rules()
    frame = synthetic_frame(adsets)
    ledger = synthetic_ledger(frame, rules)
    data_mb = sum(v.nbytes for v in frame.counts.values()) / 2**20
    tracemalloc.start()
    _decide(rules, frame, ledger).decisions(APPLIED)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return data_mb, peak_mb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


APPLIED = frozenset({Outcome.APPLY})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rules_throughput")
    parser.add_argument("--adsets", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=2_000, help="ad sets timed in the naive loop")
    args = parser.parse_args(argv)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        data_mb, peak_mb, rss_mb = pool.apply(memory_probe, (args.adsets,))
    rules = build_rules()
    frame = synthetic_frame(args.adsets)
    ledger = synthetic_ledger(frame, rules)
    _decide(rules, synthetic_frame(1000), ledger).decisions(APPLIED)  # warm numpy dispatch
    decide_cpu, plan = _cpu(lambda: _decide(rules, frame, ledger))
    read_cpu, applied = _cpu(lambda: plan.decisions(APPLIED))
    cpu = decide_cpu + read_cpu
    subset = np.random.default_rng(11).choice(
        args.adsets, size=min(args.naive, args.adsets), replace=False
    )
    objects = [NaiveObject(frame, int(row)) for row in subset.tolist()]
    naive_cpu, naive = _cpu(lambda: _naive(rules, objects))
    naive_total = naive_cpu * args.adsets / len(objects)
    level = plan.levels[0]
    engine = [
        [int(level.matches[r].branch[row]) for r in range(len(rules))] for row in subset.tolist()
    ]
    mismatches = sum(
        a != b for x, y in zip(engine, naive, strict=True) for a, b in zip(x, y, strict=True)
    )
    memory_ok = rss_mb <= TARGET_PEAK_MB
    print(f"## Rule engine: {len(rules)} rules x {args.adsets:,} ad sets x {DAYS} days")
    print(f"data: {data_mb:.0f} MB of daily columns; ledger: 10,000 past executions")
    print(f"entries: {len(level.entries):,}; applied decisions: {len(applied):,}")
    print(
        f"CPU: decide {decide_cpu:.3f} s + materialize applied decisions {read_cpu:.3f} s = "
        f"{cpu:.3f} s (target <= {TARGET_CPU_S} s: {'met' if cpu <= TARGET_CPU_S else 'MISSED'})"
    )
    print(
        f"memory (fresh process): cycle peak {peak_mb:.0f} MB above the data (tracemalloc), "
        f"max RSS {rss_mb:.0f} MB "
        f"(target <= {TARGET_PEAK_MB:.0f} MB: {'met' if memory_ok else 'MISSED'})"
    )
    print(
        f"naive per-object loop: {naive_cpu:.2f} s for {len(objects):,} ad sets -> "
        f"{naive_total:.0f} s extrapolated to {args.adsets:,}"
    )
    print(f"ratio naive / engine (CPU): {naive_total / cpu:.0f}x")
    print(f"naive vs engine matches on the subset: {mismatches} mismatching (rule, ad set) pairs")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
