"""The 30-day sandbox launch behind ``make demo``: all through the module API.

Registers four sample creatives for one product, launches a campaign (one ad set per age
group) and a creative A/B test, then each simulated morning pulls reports, applies the budget
policy and checks the test. Same seed → same numbers. The report's figures are read back from
the store's ``performance_daily`` for every campaign the demo ran.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from roasloop.bootstrap import Runtime, build_runtime
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import AdSet, Campaign, PerformanceDaily
from roasloop.errors import InternalError
from roasloop.i18n import render
from roasloop.media.samples import SAMPLES
from roasloop.module import CampaignAutomation
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.market.scenario import builtin_scenarios
from roasloop.sandbox.world import SandboxWorld

JSON = dict[str, Any]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PRODUCT_URL = "https://shop.example.com/products/posture-corrector"
#: The demo scenario's creatives; the sandbox recognises a creative by its file name.
CREATIVE_KEYS = tuple(builtin_scenarios()["demo"].creatives)
TENANT = "demo-seller"
#: The TikTok sandbox's advertisers bill in US dollars (its minimum budgets are in USD).
CURRENCY = "USD"
LAUNCH_BUDGET, TEST_BUDGET, TARGET_ROAS = Decimal("240.00"), Decimal("400.00"), Decimal("1.6")
AB_METHODS = ("sequential", "chi_square", "bayesian")
LAUNCH, CREATIVE_TEST = "launch", "creative_test"
#: The names the campaigns get on the platform, the same in every language so that a market
#: number always gives the same run; the report shows each campaign's name in its language.
PLATFORM_NAMES = {
    LAUNCH: "Posture corrector launch",
    CREATIVE_TEST: "Posture corrector creative test",
}


@dataclass(frozen=True, slots=True)
class AdSetLine:
    """One ad set as the report shows it: its name (a test variant: the creative's id)."""

    adset_id: str
    name: str
    status: str
    daily_budget: Decimal
    totals: MetricTotals


@dataclass(frozen=True, slots=True)
class CampaignLine:
    """One campaign the demo ran, with its stored daily totals and ad sets."""

    campaign_id: str
    name: str
    kind: str  # LAUNCH | CREATIVE_TEST
    daily_budget: Decimal
    target_roas: Decimal | None
    daily: dict[str, MetricTotals]
    adsets: tuple[AdSetLine, ...]

    @property
    def totals(self) -> MetricTotals:
        return MetricTotals.total(self.daily.values())

    def title(self, locale: str) -> str:
        """The campaign's name in ``locale`` (the platform keeps one name for every language)."""
        return render(f"demo_campaign_{self.kind}", locale)


@dataclass(frozen=True, slots=True)
class ABCheck:
    """One morning's look at the creative test with the default method."""

    day: int  # days of delivery in the data
    as_of: str  # the last reported day
    verdict: str
    winner: str | None
    conversions: tuple[int, ...]
    spend: tuple[float, ...]
    messages: dict[str, str]


@dataclass
class DemoResult:
    """Everything the summary and the HTML report show."""

    seed: int
    days: int
    campaign: JSON = field(default_factory=dict)
    status: JSON = field(default_factory=dict)
    daily: list[tuple[str, MetricTotals]] = field(default_factory=list)
    actions: list[JSON] = field(default_factory=list)
    ab_test: JSON = field(default_factory=dict)
    ab_chi_square: JSON = field(default_factory=dict)
    locale: str = "en"
    ab_bayesian: JSON = field(default_factory=dict)
    ab_checks: list[ABCheck] = field(default_factory=list)
    #: The test's ad sets → the creative each one tests.
    test_variants: dict[str, str] = field(default_factory=dict)
    campaigns: list[CampaignLine] = field(default_factory=list)
    #: Share of a day's conversions the platform has reported 0, 1, 2 … days later.
    maturity: tuple[float, ...] = ()
    as_of: str = ""
    currency: str = CURRENCY

    @property
    def target_roas(self) -> Decimal | None:
        return next((c.target_roas for c in self.campaigns if c.target_roas), None)

    def decided(self) -> ABCheck | None:
        """The first morning the default method reached a verdict, if any."""
        return next((c for c in self.ab_checks if c.verdict != "keep_testing"), None)


def default_out_dir(seed: int, locale: str, root: Path = Path("roasloop-report")) -> Path:
    """Where a run's report goes unless told: one folder per market number and language."""
    return root / f"market-{seed}-{locale}"


def run_demo(
    workdir: Path,
    *,
    days: int = 30,
    seed: int = 7,
    locale: str = "en",
    on_day: Callable[[int], None] | None = None,
) -> DemoResult:
    """Run the launch in a fresh ``workdir`` and return what happened."""
    if workdir.exists():
        shutil.rmtree(workdir)
    media = workdir / "media"
    media.mkdir(parents=True)
    return asyncio.run(_run(workdir, demo_videos(media), days, seed, locale, on_day))


async def _run(
    workdir: Path,
    videos: dict[str, Path],
    days: int,
    seed: int,
    locale: str,
    on_day: Callable[[int], None] | None,
) -> DemoResult:
    settings = Settings(
        data_dir=workdir,
        sandbox_seed=seed,
        locale=locale,
        sandbox_scenario=None,
        log_level="WARNING",
    )
    clock = SimulatedClock(START)
    path = settings.sandbox_database_path(Platform.TIKTOK)
    world = SandboxWorld(path, clock, builtin_scenarios()["demo"], seed=seed)
    runtime = await build_runtime(settings, clock=clock, sandboxes={Platform.TIKTOK: world})
    module = CampaignAutomation(runtime=runtime)
    result = DemoResult(seed=seed, days=days, locale=locale)
    try:
        await _launch(module, videos, result)
        for day in range(days):
            clock.advance(timedelta(days=1))
            await _one_day(module, result, clock.today())
            if on_day:
                on_day(day + 1)
        await _finish(module, runtime, result, clock.today() - timedelta(days=1))
    finally:
        await module.aclose()
        world.close()
    return result


async def _call(module: CampaignAutomation, action: str, params: JSON) -> JSON:
    response = await module.execute(action, params, {"user_id": TENANT})
    if response["status"] != "success":
        error = response["error"]
        raise InternalError(f"{action} failed: {error['code']} {error['message']}")
    return response


async def _launch(module: CampaignAutomation, videos: dict[str, Path], result: DemoResult) -> None:
    for key, path in videos.items():
        params = {
            "creative_id": key,
            "name": key,
            "product_url": PRODUCT_URL,
            "media_url": str(path.resolve()),
        }
        await _call(module, "register_creative", params)
    keys = list(CREATIVE_KEYS)
    result.campaign = await _call(
        module,
        "create_campaign",
        {
            "platform": "tiktok",
            "objective": "sales",
            "daily_budget": str(LAUNCH_BUDGET),
            "target_countries": ["US"],
            "creative_ids": keys,
            "name": PLATFORM_NAMES[LAUNCH],
            "target_roas": str(TARGET_ROAS),
            "idempotency_key": "demo-launch",
        },
    )
    result.ab_test = await _call(
        module,
        "create_ab_test",
        {
            "platform": "tiktok",
            "test_name": PLATFORM_NAMES[CREATIVE_TEST],
            "creative_ids": keys,
            "daily_budget": str(TEST_BUDGET),
            "test_duration_days": result.days,
            "idempotency_key": "demo-ab",
        },
    )
    result.test_variants = {v["adset_id"]: v["creative_id"] for v in result.ab_test["variants"]}


async def _one_day(module: CampaignAutomation, result: DemoResult, today: date) -> None:
    campaign_id = result.campaign["campaign_id"]
    await _call(module, "sync_reports", {"campaign_id": campaign_id, "platform": "tiktok"})
    optimized = await _call(
        module,
        "optimize_budget",
        {
            "campaign_id": campaign_id,
            "platform": "tiktok",
            "dry_run": False,
            "refresh": False,
        },
    )
    result.actions += [{**item, "day": today.isoformat()} for item in optimized["optimizations"]]
    # The test is looked at every morning, as the scheduler would: the sequential test's
    # p-values stay valid however often it is checked.
    check = await _call(module, "analyze_ab_test", {"test_id": result.ab_test["test_id"]})
    as_of = today - timedelta(days=1)
    result.ab_checks.append(_ab_check(len(result.ab_checks) + 1, as_of, check))


def _ab_check(day: int, as_of: date, response: JSON) -> ABCheck:
    variants = response.get("variants", [])
    return ABCheck(
        day=day,
        as_of=as_of.isoformat(),
        verdict=response["verdict"],
        winner=response.get("winner"),
        conversions=tuple(v["conversions"] for v in variants),
        spend=tuple(v["spend"] for v in variants),
        messages=response.get("messages", {}),
    )


async def _finish(
    module: CampaignAutomation, runtime: Runtime, result: DemoResult, last_day: date
) -> None:
    launch_id = result.campaign["campaign_id"]
    result.status = await _call(module, "get_campaign_status", {"campaign_id": launch_id})
    test_id = result.ab_test["test_id"]
    analyses = {
        method: await _call(module, "analyze_ab_test", {"test_id": test_id, "method": method})
        for method in AB_METHODS
    }
    result.ab_test = {**result.ab_test, **analyses["sequential"]}
    result.ab_chi_square, result.ab_bayesian = analyses["chi_square"], analyses["bayesian"]
    result.campaigns = await _campaign_lines(runtime, result, last_day)
    result.daily = daily_totals(result.campaigns, _days(result.days))
    names = {a.adset_id: a.name for c in result.campaigns for a in c.adsets}
    result.actions = [{**a, "adset_name": names.get(a["adset_id"], "")} for a in result.actions]
    rules = runtime.deps.adapters.rules(Platform.TIKTOK)
    result.maturity = rules.capabilities.report_visibility
    result.as_of = last_day.isoformat()


async def _campaign_lines(runtime: Runtime, result: DemoResult, end: date) -> list[CampaignLine]:
    lines = []
    async with runtime.deps.store.unit(TENANT) as uow:
        for campaign in await uow.campaigns.all():
            cid, platform = campaign.campaign_id, campaign.platform
            rows = await uow.performance.for_campaign(platform, cid, START.date(), end)
            adsets = await uow.campaigns.list_adsets(platform, cid)
            lines.append(_campaign_line(campaign, adsets, rows, result))
    return sorted(lines, key=lambda line: line.kind != LAUNCH)


def _campaign_line(
    campaign: Campaign,
    adsets: Sequence[AdSet],
    rows: Sequence[PerformanceDaily],
    result: DemoResult,
) -> CampaignLine:
    is_test = campaign.campaign_id == result.ab_test.get("campaign_id")
    by_day: dict[str, list[MetricTotals]] = defaultdict(list)
    by_adset: dict[str, list[MetricTotals]] = defaultdict(list)
    for row in rows:
        by_day[row.day.isoformat()].append(row.metrics)
        by_adset[row.adset_id].append(row.metrics)
    lines = tuple(
        AdSetLine(
            a.adset_id,
            result.test_variants.get(a.adset_id, a.name) if is_test else a.name,
            a.status.value,
            a.daily_budget,
            MetricTotals.total(by_adset.get(a.adset_id, [])),
        )
        for a in sorted(adsets, key=lambda a: _display_order(a, result))
    )
    kind = CREATIVE_TEST if is_test else LAUNCH
    return CampaignLine(
        campaign.campaign_id,
        campaign.name,
        kind,
        campaign.daily_budget,
        campaign.target_roas,
        {day: MetricTotals.total(parts) for day, parts in sorted(by_day.items())},
        lines,
    )


def _display_order(adset: AdSet, result: DemoResult) -> tuple[int, str]:
    """A test's variants in the test's order (control first); other ad sets by name."""
    order = list(result.test_variants)
    if adset.adset_id in result.test_variants:
        return order.index(adset.adset_id), ""
    return len(order), adset.name


def _days(count: int) -> list[str]:
    return [(START.date() + timedelta(days=i)).isoformat() for i in range(count)]


def daily_totals(
    campaigns: Sequence[CampaignLine], days: Iterable[str]
) -> list[tuple[str, MetricTotals]]:
    """Every campaign's totals, day by day (a day nothing was delivered counts as zero)."""
    return [
        (day, MetricTotals.total(c.daily.get(day, MetricTotals()) for c in campaigns))
        for day in days
    ]


def demo_videos(media: Path) -> dict[str, Path]:
    """Each creative's video in ``media``: roasloop's generated sample videos, in turn (real
    6-second 1080 × 1920 MP4s, which every platform's media checks take)."""
    samples = [sample for sample in SAMPLES if sample.kind.is_video]
    rendered = {sample.name: sample.render() for sample in samples}
    videos = {}
    for index, key in enumerate(CREATIVE_KEYS):
        videos[key] = media / f"{key}.mp4"
        videos[key].write_bytes(rendered[samples[index % len(samples)].name])
    return videos


def totals(result: DemoResult) -> MetricTotals:
    """All campaigns over all days: the sums of the store's ``performance_daily``."""
    return MetricTotals.total(m for _, m in result.daily)


def money(value: Decimal | float | None) -> str:
    """Money with thousands separators and cents, or a dash."""
    return "—" if value is None else f"{Decimal(str(value)):,.2f}"
