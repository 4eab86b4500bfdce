"""Scenario models: parameters, platform defaults, files and the shipped scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from roasloop.backtest.suite import FAMILIES
from roasloop.sandbox.market.scenario import Param, Scenario, builtin_scenario, builtin_scenarios


@pytest.mark.parametrize(
    ("text", "dist", "typical"),
    [
        (3, "fixed", 3.0),
        ("0.5", "fixed", 0.5),
        ("LN(8.0, 0.4)", "lognormal", 8.0),
        ("ln( 8 ,0.4 )", "lognormal", 8.0),
        ("U(0.15, 0.4)", "uniform", 0.275),
        ("randint(2, 4)", "randint", 3.0),
        ({"median": 2.0, "sigma": 0.1}, "lognormal", 2.0),
        ({"low": 1.0, "high": 3.0}, "uniform", 2.0),
    ],
)
def test_param_notation(text: object, dist: str, typical: float) -> None:
    param = Param.model_validate(text)
    assert param.dist == dist
    assert param.typical == pytest.approx(typical)
    assert Param.model_validate(param.model_dump()) == param


@pytest.mark.parametrize("bad", ["LN(-1, 0.3)", "U(3, 1)", "banana", True, "LN(1, -0.1)"])
def test_param_refuses_nonsense(bad: object) -> None:
    with pytest.raises(ValidationError):
        Param.model_validate(bad)


@given(z=st.floats(-8, 8), low=st.integers(0, 20), span=st.integers(0, 10))
def test_drawn_params_stay_in_their_support(z: float, low: int, span: int) -> None:
    assert low <= Param.model_validate(f"randint({low}, {low + span})").at(z) <= low + span
    assert low <= Param.model_validate(f"U({low}, {low + span})").at(z) <= low + span
    assert Param.model_validate("LN(5, 0.5)").at(z) > 0


def test_platform_defaults_follow_the_benchmarks() -> None:
    tiktok, meta, google = (Scenario.default(p) for p in ("tiktok", "meta", "google"))
    assert tiktok.base.cpm.median == 8.0 and meta.base.cpm.median == 17.0
    assert google.base.cpm.median == 6.5
    assert (tiktok.budget.daily_flex, tiktok.budget.weekly_cap) == (1.0, False)
    assert (meta.budget.daily_flex, meta.budget.weekly_cap) == (1.75, True)
    assert tiktok.learning.budget_reset_threshold == 0.5
    assert meta.learning.budget_reset_threshold == 0.2
    assert google.learning.window_days == 14 and len(google.attribution.delay_pmf) == 31
    assert tiktok.fatigue.beta == 0.6 and meta.fatigue.beta == 0.43
    assert tiktok.regions["ME"].cpm.value == 0.7 and meta.regions["ME"].cpm.median == 0.35
    assert tiktok.break_even_roas == pytest.approx(2.5)


def test_partial_overrides_keep_the_other_defaults() -> None:
    scenario = Scenario.from_dict(
        {"platform": "meta", "regions": {"UK": {"cvr": 0.5}}, "learning": {"exit_events": 30}}
    )
    assert scenario.regions["UK"].cvr.value == 0.5
    assert scenario.regions["UK"].aov.value == 0.9
    assert scenario.regions["US"].cpm.value == 1.0
    assert scenario.learning.exit_events == 30 and scenario.learning.window_days == 7
    assert scenario.budget.daily_flex == 1.75


@pytest.mark.parametrize(
    "bad",
    [
        {"unknown_field": 1},
        {"platform": "myspace"},
        {"margin": 0},
        {"attribution": {"delay_pmf": [0.5, 0.4]}},
        {"saturation": {"split_cpm": 0.9}},
        {"seasonality": {"dow_cvr": [1.0] * 6}},
    ],
)
def test_invalid_scenarios_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Scenario.from_dict(bad)


def test_load_yaml_and_json_round_trip(tmp_path: Path) -> None:
    original = builtin_scenario("broken_tracking")
    as_json = tmp_path / "s.json"
    as_json.write_text(json.dumps(original.to_dict()))
    as_yaml = tmp_path / "s.yaml"
    as_yaml.write_text(yaml.safe_dump(original.to_dict()))
    assert Scenario.load(as_json) == original == Scenario.load(as_yaml)
    assert Scenario.from_dict(original.to_dict()) == original


def test_shipped_scenarios_load() -> None:
    shipped = builtin_scenarios()
    assert {"default", "demo", *FAMILIES} <= shipped.keys()
    for name in FAMILIES:
        assert shipped[name].family == name and shipped[name].expected
    assert shipped["default"] == Scenario.default("tiktok")
    assert shipped["broken_tracking"].platform == "meta"
    with pytest.raises(KeyError):
        builtin_scenario("nope")


def test_demo_has_four_creatives_with_a_winner_and_a_late_bloomer() -> None:
    demo = builtin_scenario("demo")
    assert demo.platform == "tiktok" and len(demo.creatives) == 4
    value = {
        key: (spec.ctr_mult.typical if spec.ctr_mult else 1.0)
        * (spec.cvr_mult.typical if spec.cvr_mult else 1.0)
        for key, spec in demo.creatives.items()
    }
    bloomers = [key for key, spec in demo.creatives.items() if spec.warmup_penalty > 0]
    assert len(bloomers) == 1
    best = max(value, key=value.__getitem__)
    mediocre = [v for key, v in value.items() if key not in (best, bloomers[0])]
    assert len(mediocre) == 2 and all(value[best] > 2 * v for v in mediocre)
    assert value[bloomers[0]] > 1.5 * max(mediocre)
