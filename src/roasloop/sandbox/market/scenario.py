"""Scenarios: every knob of the market simulator, defaulted from market_benchmarks §7.

A scenario is a pydantic model read from YAML or JSON. Any field may be omitted: the platform's
§7 calibration fills it (the generic field defaults are TikTok's, and
``_market_calibration.PLATFORM_DEFAULTS`` holds the Meta and Google deltas). Random quantities
are :class:`Param` values in the §7 notation — ``LN(median, sigma)``, ``U(low, high)``,
``randint(low, high)`` or a plain number — drawn once per market seed (account level) or per
entity key (creatives, ad groups, ads), never per call.
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from roasloop.domain.enums import Platform
from roasloop.sandbox.market import _calibration as cal

_UNIT_NORMAL = NormalDist()
_SPEC = re.compile(r"^\s*(LN|U|randint)\s*\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)\s*$", re.IGNORECASE)


class Param(BaseModel):
    """A fixed or drawn scalar: ``3``, ``"LN(8, 0.4)"``, ``"U(0.15, 0.4)"``, ``"randint(2, 4)"``.

    Dicts are accepted too (``{median, sigma}``, ``{low, high}``, ``{value}``). Serialises back to
    the short form, so a dumped scenario reloads unchanged.
    """

    model_config = ConfigDict(frozen=True)

    dist: Literal["fixed", "lognormal", "uniform", "randint"] = "fixed"
    value: float = 0.0
    median: float = 1.0
    sigma: float = 0.0
    low: float = 0.0
    high: float = 0.0

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("a boolean is not a parameter")
        if isinstance(data, int | float):
            return {"dist": "fixed", "value": float(data)}
        if isinstance(data, str):
            return _parse_spec(data)
        if isinstance(data, dict) and "dist" not in data:
            if "median" in data:
                return {"dist": "lognormal", **data}
            if "low" in data:
                return {"dist": "uniform", **data}
        return data

    @model_validator(mode="after")
    def _check(self) -> Param:
        if (
            self.sigma < 0
            or self.high < self.low
            or (self.dist == "lognormal" and self.median <= 0)
        ):
            raise ValueError(f"invalid parameter {self.spec()}")
        return self

    @model_serializer
    def _serialise(self) -> float | str:
        return self.value if self.dist == "fixed" else self.spec()

    def spec(self) -> str:
        """The §7 notation of this parameter."""
        if self.dist == "lognormal":
            return f"LN({self.median!r}, {self.sigma!r})"
        if self.dist == "uniform":
            return f"U({self.low!r}, {self.high!r})"
        if self.dist == "randint":
            return f"randint({int(self.low)}, {int(self.high)})"
        return repr(self.value)

    def at(self, z: float) -> float:
        """The value at standard-normal quantile ``z`` (uniforms map through Φ)."""
        if self.dist == "fixed":
            return self.value
        if self.dist == "lognormal":
            return self.median * math.exp(self.sigma * z)
        u = _UNIT_NORMAL.cdf(z)
        if self.dist == "uniform":
            return self.low + (self.high - self.low) * u
        return float(
            min(int(self.high), int(self.low) + math.floor((self.high - self.low + 1) * u))
        )

    @property
    def typical(self) -> float:
        """Median draw (z = 0); what a scenario looks like without account-level luck."""
        return self.at(0.0)


def _parse_spec(text: str) -> dict[str, Any]:
    match = _SPEC.match(text)
    if match is None:
        try:
            return {"dist": "fixed", "value": float(text)}
        except ValueError:
            raise ValueError(f"not a parameter: {text!r}") from None
    kind, first, second = match.group(1).lower(), float(match.group(2)), float(match.group(3))
    if kind == "ln":
        return {"dist": "lognormal", "median": first, "sigma": second}
    return {"dist": "uniform" if kind == "u" else "randint", "low": first, "high": second}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaseRates(_Section):
    """Account-level rates for a US audience (§7 platforms); ``aov`` is the mean order value."""

    cpm: Param = Param.model_validate("LN(8.0, 0.4)")
    ctr: Param = Param.model_validate("LN(0.008, 0.45)")
    cvr: Param = Param.model_validate("LN(0.022, 0.6)")
    aov: Param = Param.model_validate("LN(80.0, 0.45)")
    # §7 correlations: high CTR needs high CPM; expensive baskets convert less.
    cpm_ctr_corr: float = Field(0.4, ge=-1, le=1)
    aov_cvr_corr: float = Field(-0.6, ge=-1, le=1)


class Segment(_Section):
    """Multipliers of one region or age bucket, and its relative audience size."""

    cpm: Param = Param(value=1.0)
    ctr: Param = Param(value=1.0)
    cvr: Param = Param(value=1.0)
    aov: Param = Param(value=1.0)
    size: float = Field(1.0, gt=0)


class CreativeSpec(_Section):
    """Quality of one creative; unset optional fields fall back to ``creative_defaults``."""

    ctr_mult: Param | None = None
    cvr_mult: Param | None = None
    fatigue_beta: float | None = Field(None, ge=0)
    saturation_eps: Param | None = None
    # Creative-level ramp ("late bloomer", §8 family 3): CVR × (1 − penalty) at launch, fading
    # linearly as the platform finds the ad's audience over its first warmup_impressions.
    # Impressions, not conversions: a conversion-driven ramp would trap the ad in its penalty.
    warmup_penalty: float = Field(0.0, ge=0, lt=1)
    warmup_impressions: int = Field(100_000, ge=1)


class Saturation(_Section):
    """Power-law diminishing returns, CPA ∝ (s/s_ref)^eps above s_ref (§7 saturation)."""

    eps: Param = Param.model_validate("LN(0.28, 0.35)")
    split_cpm: float = Field(0.55, ge=0)
    split_ctr: float = Field(0.15, ge=0)
    split_cvr: float = Field(0.30, ge=0)
    # s_ref for a US, all-adults audience; scaled by the audience's relative size [X].
    ref_spend: float = Field(200.0, gt=0)
    # Delivery ceiling: an audience cannot absorb more than this multiple of s_ref [X].
    max_spend_mult: float = Field(10.0, ge=1)

    @model_validator(mode="after")
    def _split_sums_to_one(self) -> Saturation:
        if abs(self.split_cpm + self.split_ctr + self.split_cvr - 1.0) > 1e-6:
            raise ValueError("saturation split must sum to 1")
        return self


class Fatigue(_Section):
    """CTR_t = CTR_0 (1+F_t)^(−beta), F_t = cumulative impressions ÷ effective audience (§7)."""

    beta: float = Field(0.60, ge=0)
    effective_audience: Param = Param.model_validate("LN(60000.0, 0.8)")
    cpm_penalty_gamma: float = Field(0.3, ge=0)
    floor: float = Field(0.3, gt=0, le=1)


class Learning(_Section):
    """Learning phase (§3, §7 learning)."""

    exit_events: int = Field(50, ge=1)
    window_days: int = Field(7, ge=1)
    penalty: Param = Param.model_validate("U(0.15, 0.4)")
    noise_mult_during: float = Field(1.6, ge=1)
    limited_penalty: Param = Param.model_validate("U(0.05, 0.15)")
    budget_reset_threshold: float = Field(0.5, gt=0)
    pause_reset_days: int = Field(7, ge=1)
    reset_on_new_ad: bool = True


class Budget(_Section):
    """Daily flex and the weekly cap (§4a). Weeks run Sunday–Saturday, as Meta's do."""

    daily_flex: float = Field(1.0, ge=1)
    weekly_cap: bool = False


class Delivery(_Section):
    """The platform's split of an ad group's spend across its ads (divergent delivery) [X]."""

    sharpness: float = Field(2.0, ge=0)
    min_share: float = Field(0.05, ge=0, le=1)
    noise: float = Field(0.15, ge=0)


class Noise(_Section):
    """Daily noise (§7 noise, budget.pacing_noise)."""

    pacing_sigma: float = Field(0.12, ge=0)
    cpm_daily_sigma: float = Field(0.10, ge=0)
    conversion_shape: float = Field(30.0, gt=0)
    order_value_sigma: float = Field(0.6, ge=0)


class Outage(_Section):
    """Tracking outage: capture falls to ``capture`` on scenario days [start, start+length)."""

    start_day: Param = Param.model_validate("U(8, 15)")
    length_days: Param = Param.model_validate("randint(2, 4)")
    capture: Param = Param.model_validate("U(0.05, 0.2)")
    probability: float = Field(1.0, ge=0, le=1)


class DuplicateBug(_Section):
    """Dedup failure: each captured conversion is reported ``multiplier`` times on average."""

    start_day: Param = Param.model_validate("randint(16, 24)")
    length_days: Param = Param(value=3.0)
    multiplier: Param = Param(value=1.8)
    probability: float = Field(1.0, ge=0, le=1)


class Attribution(_Section):
    """Conversion delay, reporting lag and tracking quality (§5, §7 attribution)."""

    delay_pmf: list[float] = Field(default_factory=lambda: list(cal.DELAY_PMF_7DC))
    report_lag_pmf: list[float] = Field(default_factory=lambda: [0.75, 0.18, 0.07])
    capture_rate: Param = Param(value=0.9)
    view_through_share: Param = Param(value=0.0)
    outages: list[Outage] = Field(default_factory=list)
    duplicate_bugs: list[DuplicateBug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pmfs(self) -> Attribution:
        for pmf in (self.delay_pmf, self.report_lag_pmf):
            if not pmf or min(pmf) < 0 or abs(sum(pmf) - 1.0) > 1e-6:
                raise ValueError("a pmf must be non-empty, non-negative and sum to 1")
        return self


def _week_vector(default: list[float]) -> Any:
    return Field(default_factory=lambda: list(default), min_length=7, max_length=7)


class Seasonality(_Section):
    """Day-of-week vectors (Mon..Sun) and month-of-year CPM (§7 dow, month_cpm)."""

    dow_cvr: list[float] = _week_vector(cal.DOW_CVR)
    dow_cpm: list[float] = _week_vector(cal.DOW_CPM)
    dow_ctr: list[float] = _week_vector(cal.DOW_CTR)
    dow_spend: list[float] = _week_vector(cal.DOW_SPEND)
    month_cpm: list[float] = Field(
        default_factory=lambda: list(cal.MONTH_CPM), min_length=12, max_length=12
    )


class Scenario(_Section):
    """Everything the market needs besides the seed and the campaign structure."""

    platform: Platform = Platform.TIKTOK
    name: str = "default"
    family: str = "default"
    description: str = ""
    expected: str = ""
    margin: float = Field(0.4, gt=0, le=1)
    base: BaseRates = BaseRates()
    creative_defaults: CreativeSpec = CreativeSpec()
    creatives: dict[str, CreativeSpec] = Field(default_factory=dict)
    regions: dict[str, Segment] = Field(default_factory=dict)
    ages: dict[str, Segment] = Field(default_factory=dict)
    saturation: Saturation = Saturation()
    fatigue: Fatigue = Fatigue()
    learning: Learning = Learning()
    budget: Budget = Budget()
    delivery: Delivery = Delivery()
    noise: Noise = Noise()
    attribution: Attribution = Attribution()
    seasonality: Seasonality = Seasonality()

    @model_validator(mode="before")
    @classmethod
    def _platform_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        platform = str(data.get("platform", Platform.TIKTOK))
        defaults = cal.PLATFORM_DEFAULTS.get(platform, {})
        common = {
            "regions": cal.REGION_MULT,
            "ages": cal.AGE_MULT,
            "creative_defaults": cal.CREATIVE_DEFAULTS,
        }
        return _deep_merge(_deep_merge(common, defaults), data)

    @model_validator(mode="after")
    def _segments_complete(self) -> Scenario:
        missing = {*cal.REGIONS} - self.regions.keys() | {*cal.AGE_BUCKETS} - self.ages.keys()
        if missing:
            raise ValueError(f"segments missing: {sorted(missing)}")
        return self

    @property
    def break_even_roas(self) -> float:
        """Revenue per dollar of spend at which the gross margin pays for the ads."""
        return 1.0 / self.margin

    @classmethod
    def default(cls, platform: Platform | str = Platform.TIKTOK) -> Scenario:
        """The §7 default scenario of ``platform`` (account rates drawn by the market seed)."""
        return cls.from_dict({"platform": str(Platform(platform))})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Validate a mapping (as read from YAML/JSON) into a scenario."""
        return cls.model_validate(data)

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read a ``.json`` or YAML scenario file."""
        text = Path(path).read_text(encoding="utf-8")
        return cls.loads(text, json_format=str(path).endswith(".json"))

    @classmethod
    def loads(cls, text: str, *, json_format: bool = False) -> Scenario:
        """Parse scenario text (YAML unless ``json_format``)."""
        data = json.loads(text) if json_format else yaml.safe_load(text)
        return cls.from_dict(data or {})

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible mapping that :meth:`from_dict` reads back to an equal scenario."""
        return self.model_dump(mode="json")


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = _deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios shipped in ``roasloop/sandbox/market/scenarios``, keyed by file stem."""
    folder = resources.files("roasloop.sandbox.market").joinpath("scenarios")
    found: dict[str, Scenario] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith((".yaml", ".yml")):
            found[entry.name.rsplit(".", 1)[0]] = Scenario.loads(entry.read_text("utf-8"))
    return found


def builtin_scenario(name: str) -> Scenario:
    """One shipped scenario by name (``default``, ``demo`` or a §8 family)."""
    folder = resources.files("roasloop.sandbox.market").joinpath("scenarios")
    entry = folder.joinpath(f"{name}.yaml")
    if not entry.is_file():
        raise KeyError(name)
    return Scenario.loads(entry.read_text("utf-8"))
