"""analyze never raises and stays JSON-friendly, whatever the data."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.stats.analysis import METHODS, AnalysisConfig, TestDesign, analyze
from tests.unit.stats._fixtures import row

METRICS = ("cvr", "ctr", "conversions_per_impression", "roas", "cpa")


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list, TestDesign]:
    k = draw(st.integers(2, 4))
    ids = tuple("ABCD"[:k])
    rows = []
    for day in range(draw(st.integers(1, 6))):
        for vid in ids:
            if draw(st.booleans()) and draw(st.booleans()):
                continue  # a variant missing that day
            clicks = draw(st.integers(0, 400))
            conv = draw(st.integers(0, clicks))
            spend = draw(st.sampled_from(["0", "0.01", "12.5", "300"]))
            revenue = draw(st.sampled_from(["0", "5", "99.99", "1000"]))
            stratum = draw(st.sampled_from(["s1", "s2"]))
            imps = clicks * draw(st.integers(1, 30))
            rows.append(
                row(
                    vid,
                    clicks,
                    conv,
                    day=day,
                    stratum=stratum,
                    impressions=imps,
                    spend=spend,
                    revenue=revenue,
                )
            )
    split = draw(st.one_of(st.none(), st.just((1.0 / k,) * k)))
    design = TestDesign(ids, draw(st.sampled_from(METRICS)), split, draw(st.booleans()))
    return rows, design


def _plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


@settings(max_examples=300, deadline=None)
@given(datasets(), st.sampled_from(METHODS), st.sampled_from([None, 0, 5]))
def test_analyze_is_total_and_json_friendly(data, method, floor) -> None:
    rows, design = data
    result = analyze(rows, design, method, AnalysisConfig(min_conversions_floor=floor))
    payload = result.as_dict()
    assert _plain(payload)
    json.dumps(payload, allow_nan=False)
    assert payload["verdict"] in ("winner", "no_difference", "keep_testing")
    assert (payload["winner"] is None) == (payload["verdict"] != "winner")
    assert set(payload["messages"]) == {"en", "zh-CN"}
    if result.error is None:
        assert [v["variant_id"] for v in payload["variants"]] == list(design.variant_ids)
