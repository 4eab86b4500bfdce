"""The demo and the CLI, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roasloop.demo import DemoResult, run_demo
from roasloop.entrypoints.cli import app
from roasloop.entrypoints.report_html import render_html


def _scrub(value: Any) -> Any:
    """Drop request ids: each call gets a fresh one; everything else must repeat."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k != "request_id"}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _fingerprint(result: DemoResult) -> str:
    data = {
        "status": result.status,
        "actions": result.actions,
        "ab": result.ab_test,
        "chi": result.ab_chi_square,
        "daily": [(day, repr(metrics)) for day, metrics in result.daily],
        "checks": [repr(check) for check in result.ab_checks],
        "campaigns": [repr(campaign) for campaign in result.campaigns],
    }
    return json.dumps(_scrub(data), sort_keys=True, default=str)


def test_demo_is_reproducible_and_reports(tmp_path: Path) -> None:
    first = run_demo(tmp_path / "a", days=6, seed=5)
    second = run_demo(tmp_path / "b", days=6, seed=5)
    other = run_demo(tmp_path / "c", days=6, seed=6)
    assert _fingerprint(first) == _fingerprint(second)
    assert _fingerprint(first) != _fingerprint(other)
    assert len(first.daily) == 6
    assert first.status["campaign"]["spend"] > 0
    assert len(first.status["adsets"]) == 3
    assert first.ab_test["verdict"] in {"winner", "no_difference", "keep_testing"}
    html = render_html(first)
    assert "<svg" in html and "US 18-35" in html
    assert "<script" not in html and "src=" not in html  # self-contained: no network


def test_demo_in_chinese(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "zh", days=2, seed=5, locale="zh-CN")
    html = render_html(result)
    assert 'lang="zh-CN"' in html and "每日消耗与 ROAS" in html


def test_cli_demo_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["demo", "--days", "3", "--out", str(out), "--workdir", str(tmp_path / "work")]
    )
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "mode: sandbox" in result.output
    for text in (result.output, html):  # no internal references in what the user reads
        assert not re.search(r"seed|issue|§", text, re.IGNORECASE)


def test_cli_execute_prints_json_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROASLOOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ROASLOOP_LOG_LEVEL", "CRITICAL")
    user = ["--user", "seller-1"]
    bad = CliRunner().invoke(
        app, ["execute", "create_campaign", "--params", '{"objective": "x"}', *user]
    )
    assert bad.exit_code == 1
    assert '"field": "objective"' in bad.output
    ok = CliRunner().invoke(
        app, ["execute", "check_rules", "--params", "{}", "--locale", "zh-CN", *user]
    )
    assert ok.exit_code == 0, ok.output
    assert "已检查 0 条规则" in ok.output and '"mode": "sandbox"' in ok.output
