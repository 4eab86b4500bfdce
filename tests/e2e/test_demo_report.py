"""The demo's HTML report, rendered from real demo runs and read as a person would read it."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roasloop.demo import CREATIVE_KEYS, TENANT, DemoResult, money, run_demo, totals
from roasloop.domain.attribution import visible_share
from roasloop.entrypoints.cli import app
from roasloop.entrypoints.report_chart import MATURE_SHARE
from roasloop.entrypoints.report_html import render_html
from roasloop.i18n.cli import CLI_CATALOG

DAYS = 8


@dataclass
class Page:
    """What a reader sees: the tables (head, rows), hover texts, and every visible text."""

    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def table(self, *columns: str) -> tuple[list[str], list[list[str]]]:
        """The first table whose head has every one of ``columns``."""
        return next(t for t in self.tables if set(columns) <= set(t[0]))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self.stack: list[str] = []
        self.cell: list[str] | None = None
        self.row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "table":
            self.page.tables.append(([], []))
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th", "title"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
        elif tag == "title" and self.cell is not None:
            self.page.titles.append("".join(self.cell).strip())
        elif tag == "tr" and self.page.tables:
            head, rows = self.page.tables[-1]
            if head:
                rows.append(self.row)
            else:
                head.extend(self.row)
        if tag in ("td", "th", "title"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        if "style" in self.stack:
            return
        self.page.texts.append(data)
        if self.cell is not None:
            self.cell.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[DemoResult, Path]]:
    root = tmp_path_factory.mktemp("demo")
    return {
        locale: (run_demo(root / locale, days=DAYS, seed=7, locale=locale), root / locale)
        for locale in ("en", "zh-CN")
    }


def _store_sums(workdir: Path) -> dict[str, tuple[int, int, int]]:
    """Spend and revenue in cents and conversions per campaign, straight from the database."""
    query = (
        "SELECT campaign_id, SUM(spend_cents), SUM(revenue_cents), SUM(conversions) "
        "FROM performance_daily WHERE tenant_id = ? GROUP BY campaign_id"
    )
    with sqlite3.connect(workdir / "roasloop.db") as db:
        return {row[0]: tuple(row[1:]) for row in db.execute(query, (TENANT,))}


def test_totals_are_the_stores_sums_over_every_campaign(runs: dict) -> None:
    result, workdir = runs["en"]
    stored = _store_sums(workdir)
    assert len(stored) == 2  # the launch and the creative test
    assert {c.campaign_id for c in result.campaigns} == set(stored)
    for campaign in result.campaigns:
        m = campaign.totals
        assert (m.spend * 100, m.revenue * 100, m.conversions) == stored[campaign.campaign_id]
    total = totals(result)
    spend, revenue, conversions = (sum(v[i] for v in stored.values()) for i in range(3))
    assert (total.spend * 100, total.revenue * 100, total.conversions) == (
        spend,
        revenue,
        conversions,
    )
    page = read(render_html(result))
    head, rows = page.table("Campaign", "Spend (USD)")
    footer = rows[-1]
    assert footer[0] == "Total"
    assert footer[head.index("Spend (USD)")] == money(total.spend)
    assert footer[head.index("Revenue (USD)")] == money(total.revenue)
    assert footer[head.index("Conversions")] == str(conversions)
    assert f"spend {money(total.spend)}" in " ".join(page.texts)


def test_the_chart_stacks_every_campaigns_spend(runs: dict) -> None:
    result, _ = runs["en"]
    page = read(render_html(result))
    days = [t for t in page.titles if re.match(r"\d{4}-\d\d-\d\d: spend", t)]
    assert len(days) == DAYS
    for title, (day, metrics) in zip(days, result.daily, strict=True):
        assert title.startswith(f"{day}: spend {money(metrics.spend)} USD")
        assert "Posture corrector launch" in title and "Posture corrector creative test" in title


def test_decisions_name_the_ad_set(runs: dict) -> None:
    result, _ = runs["en"]
    assert result.actions, "the policy acted at least once in eight days"
    head, rows = read(render_html(result)).table("Ad set", "Action", "Reason")
    names = {a.name for c in result.campaigns for a in c.adsets}
    column = [row[head.index("Ad set")] for row in rows]
    assert set(column) <= names and set(column) & {"US 18-35", "US 36-50", "US 51-65"}
    assert not any(re.fullmatch(r"\d+", cell) for cell in column)


def test_the_chart_has_axes_a_target_and_hover_values(runs: dict) -> None:
    result, _ = runs["en"]
    html = render_html(result)
    assert "<script" not in html and "src=" not in html and "http" not in html
    titles = re.findall(r'<text class="axis-title"[^>]*>([^<]+)</text>', html)
    assert sorted(titles) == ["Date", "ROAS", "Spend (USD)"]
    target = re.search(r'<g class="target"><title>([^<]+)</title><line[^>]*y1="([\d.]+)"', html)
    assert target and target.group(1) == "Target ROAS 1.60"
    points = re.findall(r"<circle [^>]*><title>([^<]+)</title></circle>", html)
    assert points and all(re.search(r": ROAS \d+\.\d\d \(revenue ", p) for p in points)


def test_immature_days_are_hatched_not_drawn_as_a_roas(runs: dict) -> None:
    result, _ = runs["en"]
    html = render_html(result)
    as_of = date.fromisoformat(result.as_of)
    ages = [(as_of - date.fromisoformat(day)).days for day, _ in result.daily]
    immature = [visible_share(result.maturity, age) < MATURE_SHARE for age in ages]
    assert 0 < sum(immature) < DAYS  # a few days still reporting, older ones settled
    assert html.count('class="immature"') == 1
    points = re.findall(r"<circle [^>]*><title>(\d{4}-\d\d-\d\d): ROAS", html)
    settled = [day for (day, m), young in zip(result.daily, immature, strict=True) if not young]
    assert points == [day for day in settled if dict(result.daily)[day].spend > 0]
    page = read(html)
    young_titles = [t for t in page.titles if "of this day's conversions reported" in t]
    assert len(young_titles) == sum(immature)
    assert "Conversions still arriving" in page.texts


def test_the_creative_test_table_shows_each_variant_with_intervals(runs: dict) -> None:
    result, _ = runs["en"]
    head, rows = read(render_html(result)).table("Variant", "Conversions")
    assert head == [
        "Variant",
        "Spend (USD)",
        "Conversions",
        "CPA in USD (95% interval)",
        "ROAS (95% interval)",
        "CPA vs control",
    ]
    variants = result.ab_test["variants"]
    assert [row[0] for row in rows] == [f"{CREATIVE_KEYS[0]} (control)", *CREATIVE_KEYS[1:]]
    for row, variant in zip(rows, variants, strict=True):
        assert row[1] == money(variant["spend"]) and row[2] == str(variant["conversions"])
        if variant["cpa"]["lower"] is not None:
            assert re.fullmatch(r"[\d,.]+ \([\d,.]+ – [\d,.]+\)", row[3]), row[3]
    assert result.ab_test["primary_metric"] == "cpa"


def test_the_creative_test_is_looked_at_every_morning(runs: dict) -> None:
    result, _ = runs["en"]
    assert [c.day for c in result.ab_checks] == list(range(1, DAYS + 1))
    assert result.ab_checks[-1].conversions == tuple(
        v["conversions"] for v in result.ab_test["variants"]
    )
    page = read(render_html(result))
    head, rows = page.table("Day of test", "Data up to")
    assert len(rows) == DAYS and head[2:-1] == list(CREATIVE_KEYS)
    visible = unescape(" ".join(page.texts))
    decided = result.decided()
    when = f"day {decided.day} of the test" if decided else f"No verdict after {DAYS} daily looks"
    assert when in visible
    advice = "; ".join(r["en"] for r in result.ab_test["recommendations"])
    assert f"Recommendation: {advice}" in visible


def _english_fragments() -> set[str]:
    """The English words of every report label that differs from its Chinese."""
    out = set()
    for entry in CLI_CATALOG.values():
        if entry["en"] == entry["zh-CN"]:
            continue
        for part in re.split(r"\{\w+\}", entry["en"]):
            words = re.findall(r"[A-Za-z][A-Za-z']{2,}", part)
            out.update(w for w in words if w not in ALLOWED)
    return out


#: What stays as it is in a Chinese page: products, metrics, currency, "A/B", the data.
ALLOWED = {"TikTok", "ROAS", "CPA", "CVR", "CTR", "USD", "roasloop", "US", "A", "B", *CREATIVE_KEYS}


def test_the_chinese_page_has_no_english_left(runs: dict) -> None:
    result, _ = runs["zh-CN"]
    html = render_html(result)
    page = read(html)
    visible = unescape(" ".join(page.texts))
    words = set(re.findall(r"[A-Za-z][A-Za-z_']*", visible))
    assert words <= ALLOWED, words - ALLOWED
    for fragment in _english_fragments():
        assert not re.search(rf"\b{re.escape(fragment)}\b", visible), fragment
    assert 'lang="zh-CN"' in html and "每日消耗与 ROAS" in page.texts
    assert re.search(r'aria-label="[^"]*[\u4e00-\u9fff]', html)


def test_the_report_names_the_same_run_in_both_languages(runs: dict) -> None:
    english, chinese = runs["en"][0], runs["zh-CN"][0]
    assert totals(english) == totals(chinese)
    assert english.ab_checks == chinese.ab_checks


def test_runs_go_to_their_own_folder_and_say_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--days", "2"])
    second = runner.invoke(app, ["demo", "--days", "2", "--seed", "5", "--locale", "zh-CN"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    english = Path("roasloop-report/market-7-en/index.html")
    chinese = Path("roasloop-report/market-5-zh-CN/index.html")
    assert english.is_file() and chinese.is_file()
    assert str(english) in first.output and str(chinese) in second.output
    assert 'lang="en"' in english.read_text(encoding="utf-8")
    assert Path("roasloop-demo/market-5-zh-CN/roasloop.db").is_file()
