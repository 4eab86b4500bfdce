"""The demo's self-contained HTML report: tables plus an inline SVG chart (no scripts, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from roasloop.demo import DemoResult, money, totals
from roasloop.domain.metrics import MetricTotals
from roasloop.i18n import render

WIDTH, HEIGHT, PAD = 760, 260, 40
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem;color:#1d2430;max-width:980px}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border-bottom:1px solid #dde2ea;padding:.35rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.mode{display:inline-block;background:#e8f1ff;color:#0b57d0;padding:.1rem .5rem;border-radius:4px}
"""


def write_report(result: DemoResult, out_dir: Path) -> Path:
    """Write ``index.html`` into ``out_dir``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render_html(result), encoding="utf-8")
    return path


def render_html(result: DemoResult) -> str:
    t = _labels(result.locale)
    total = totals(result)
    run_line = escape(render("demo_run", result.locale, number=result.seed, days=result.days))
    body = [
        f"<h1>{t('demo_title')}</h1>",
        f'<p><span class="mode">sandbox</span> {run_line}</p>',
        f"<p>{escape(_totals_line(result.locale, total))}</p>",
        f"<h2>{t('demo_chart')}</h2>",
        chart_svg(result.daily),
        f"<h2>{t('demo_adsets')}</h2>",
        _adset_table(result, t),
        f"<h2>{t('demo_actions')}</h2>",
        _actions_table(result, t),
        f"<h2>{t('demo_ab')}</h2>",
        _ab_table(result, t),
    ]
    lang = "zh-CN" if result.locale == "zh-CN" else "en"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>roasloop demo</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def chart_svg(daily: Sequence[tuple[str, MetricTotals]]) -> str:
    """Bars for daily spend, a line for daily ROAS (right axis)."""
    if not daily:
        return "<p>—</p>"
    spends = [float(m.spend) for _, m in daily]
    roases = [float(m.roas) if m.roas is not None else 0.0 for _, m in daily]
    max_spend, max_roas = max(spends) or 1.0, max(roases) or 1.0
    step = (WIDTH - 2 * PAD) / len(daily)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="spend and ROAS">'
    ]
    for i, spend in enumerate(spends):
        h = (HEIGHT - 2 * PAD) * spend / max_spend
        x, y = PAD + i * step, HEIGHT - PAD - h
        size = f'width="{step * 0.7:.1f}" height="{h:.1f}"'
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" {size} fill="#9ec5fe"/>')
    points = " ".join(
        f"{PAD + (i + 0.35) * step:.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * r / max_roas:.1f}"
        for i, r in enumerate(roases)
    )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#d93025" stroke-width="2"/>')
    parts.append(_axes(daily, max_spend, max_roas))
    parts.append("</svg>")
    return "".join(parts)


def _axes(daily: Sequence[tuple[str, MetricTotals]], max_spend: float, max_roas: float) -> str:
    base = HEIGHT - PAD
    return (
        f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" stroke="#555"/>'
        f'<text x="{PAD}" y="{PAD - 10}" font-size="12" fill="#0b57d0">'
        f"spend max {max_spend:,.0f}</text>"
        f'<text x="{WIDTH - PAD}" y="{PAD - 10}" font-size="12" fill="#d93025" '
        f'text-anchor="end">ROAS max {max_roas:.2f}</text>'
        f'<text x="{PAD}" y="{base + 16}" font-size="11">{escape(daily[0][0])}</text>'
        f'<text x="{WIDTH - PAD}" y="{base + 16}" font-size="11" text-anchor="end">'
        f"{escape(daily[-1][0])}</text>"
    )


def _adset_table(result: DemoResult, t: Any) -> str:
    head = [
        "col_name",
        "col_status",
        "col_budget",
        "col_spend",
        "col_revenue",
        "col_roas",
        "col_cpa",
    ]
    rows = [
        [
            a["name"],
            a["status"],
            money(a.get("daily_budget")),
            money(a["spend"]),
            money(a["revenue"]),
            _ratio(a["roas"]),
            money(a["cpa"]),
        ]
        for a in result.status.get("adsets", [])
    ]
    return _table([t(h) for h in head], rows)


def _actions_table(result: DemoResult, t: Any) -> str:
    if not result.actions:
        return f"<p>{t('demo_no_actions')}</p>"
    locale = result.locale
    rows = [
        [
            a["day"],
            a["adset_id"],
            a["action"],
            f"{money(a['old_budget'])} → {money(a['new_budget'])}",
            a["reasons"].get(locale, a["reason"]),
        ]
        for a in result.actions
    ]
    head = ["col_day", "col_name", "col_action", "col_change", "col_reason"]
    return _table([t(h) for h in head], rows)


def _ab_table(result: DemoResult, t: Any) -> str:
    rows = []
    for method, analysis in (("sequential", result.ab_test), ("chi_square", result.ab_chi_square)):
        messages = analysis.get("messages", {})
        rows.append(
            [
                method,
                str(analysis.get("verdict")),
                str(analysis.get("winner") or "—"),
                messages.get(result.locale, messages.get("en", "")),
            ]
        )
    return _table([t("col_method"), t("col_verdict"), t("col_variant"), ""], rows)


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    th = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _totals_line(locale: str, total: MetricTotals) -> str:
    roas = "—" if total.roas is None else f"{total.roas:.2f}"
    cpa = "—" if total.cpa is None else money(Decimal(total.cpa))
    return render(
        "demo_totals",
        locale,
        spend=money(total.spend),
        revenue=money(total.revenue),
        roas=roas,
        cpa=cpa,
    )


def _labels(locale: str) -> Any:
    return lambda key: escape(render(key, locale))
