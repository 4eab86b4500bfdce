"""The demo's self-contained HTML report: tables plus an inline SVG chart (no scripts, no CDN).

Every figure comes from the demo's store (``performance_daily`` of every campaign it ran) or
from the module API's responses; every label from :mod:`roasloop.i18n.cli`, in the run's
language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

from roasloop.demo import CampaignLine, DemoResult, money, totals
from roasloop.domain.metrics import MetricTotals
from roasloop.entrypoints.report_ab import ab_section
from roasloop.entrypoints.report_chart import chart_legend, chart_svg
from roasloop.i18n import render

Label = Callable[..., str]
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem;color:#1d2430;max-width:1000px}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border-bottom:1px solid #dde2ea;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{vertical-align:bottom}
td:not(:last-child){white-space:nowrap}
th.n,td.n{text-align:right;white-space:nowrap}
table.wrap td{white-space:normal}
tr.total td{font-weight:600;border-top:2px solid #b9c0cc}
.mode{display:inline-block;background:#e8f1ff;color:#0b57d0;padding:.1rem .5rem;border-radius:4px}
.legend span{display:inline-flex;align-items:center;margin-right:1.2rem;font-size:.9rem}
.legend i{display:inline-block;width:14px;height:14px;margin-right:.35rem;border-radius:2px}
.legend i.line{height:3px}
.legend i.dash{height:0;border-top:2px dashed #e37400}
.legend i.hatch{background:repeating-linear-gradient(45deg,#9aa0a6 0 2px,#f1f3f4 2px 5px)}
.note{color:#5f6368;font-size:.9rem}
details{margin:1rem 0}
"""
#: A cell that is a figure: a number, a dash, or a number followed by more (an interval).
FIGURE = re.compile(r"^(—|[−+-]?\d[\d,.]*(%|\b).*)$")
ADSET_HEAD = ("col_adset", "col_status", "col_budget", "col_spend", "col_revenue", "col_roas")


def write_report(result: DemoResult, out_dir: Path) -> Path:
    """Write ``index.html`` into ``out_dir``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render_html(result), encoding="utf-8")
    return path


def labels(locale: str) -> Label:
    """``t(key, **values)``: the catalog's plain text in ``locale`` (escape it when embedding)."""
    return lambda key, **values: render(key, locale, **values)


def render_html(result: DemoResult) -> str:
    """The whole report page."""
    t = labels(result.locale)
    run_line = t("demo_run", number=result.seed, days=result.days)
    total = totals_line(result.locale, totals(result), result.currency)
    body = [
        f"<h1>{escape(t('demo_title', days=result.days))}</h1>",
        f'<p><span class="mode">{escape(t("demo_mode"))}</span> {escape(run_line)}</p>',
        f"<p><strong>{escape(total)}</strong></p>",
        _h2(t("demo_chart")),
        chart_svg(result, t),
        chart_legend(result, t),
        _h2(t("demo_campaigns")),
        _campaign_table(result, t),
        _h2(t("demo_adsets")),
        *(_adset_table(c, result.currency, result.locale, t) for c in result.campaigns),
        _h2(t("demo_actions")),
        _actions_table(result, t),
        _h2(t("demo_ab")),
        ab_section(result, t, table),
    ]
    lang = "zh-CN" if result.locale == "zh-CN" else "en"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(t('demo_page_title'))}</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _money_head(t: Label, key: str, currency: str) -> str:
    return t("col_money", name=t(key), currency=currency)


def _metric_cells(m: MetricTotals) -> list[str]:
    """Spend, revenue, ROAS, CPA, conversions."""
    return [
        money(m.spend),
        money(m.revenue),
        _ratio(m.roas),
        money(m.cpa),
        f"{m.conversions:,}",
    ]


def _campaign_table(result: DemoResult, t: Label) -> str:
    money_cols = [_money_head(t, k, result.currency) for k in ("col_budget", "col_spend")]
    head = [
        t("col_campaign"),
        t("col_kind"),
        *money_cols,
        _money_head(t, "col_revenue", result.currency),
        t("col_roas"),
        _money_head(t, "col_cpa", result.currency),
        t("col_conversions"),
    ]
    rows = [
        [
            c.title(result.locale),
            t(f"demo_kind_{c.kind}"),
            money(c.daily_budget),
            *_metric_cells(c.totals),
        ]
        for c in result.campaigns
    ]
    budget = sum((c.daily_budget for c in result.campaigns), Decimal(0))
    footer = [t("col_total"), "", money(budget), *_metric_cells(totals(result))]
    return table(head, rows, footer)


def _adset_table(campaign: CampaignLine, currency: str, locale: str, t: Label) -> str:
    head = [
        *(t(k) for k in ADSET_HEAD[:2]),
        *(_money_head(t, k, currency) for k in ADSET_HEAD[2:5]),
        t("col_roas"),
        _money_head(t, "col_cpa", currency),
        t("col_conversions"),
    ]
    rows = [
        [
            a.name,
            t(f"demo_status_{a.status}"),
            money(a.daily_budget),
            money(a.totals.spend),
            money(a.totals.revenue),
            _ratio(a.totals.roas),
            money(a.totals.cpa),
            f"{a.totals.conversions:,}",
        ]
        for a in campaign.adsets
    ]
    return f"<h3>{escape(campaign.title(locale))}</h3>" + table(head, rows)


def _actions_table(result: DemoResult, t: Label) -> str:
    if not result.actions:
        return f"<p>{escape(t('demo_no_actions'))}</p>"
    locale = result.locale
    rows = [
        [
            a["day"],
            a.get("adset_name") or a["adset_id"],
            t(f"demo_action_{a['action']}"),
            f"{money(a['old_budget'])} → {money(a['new_budget'])}",
            a["reasons"].get(locale, a["reason"]),
        ]
        for a in result.actions
    ]
    head = [
        t("col_day"),
        t("col_adset"),
        t("col_action"),
        _money_head(t, "col_change", result.currency),
        t("col_reason"),
    ]
    return table(head, rows)


def table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    footer: Sequence[str] | None = None,
    *,
    wrap: bool = False,
) -> str:
    """An HTML table; every cell is plain text and escaped here. Columns of figures are
    right-aligned and kept on one line unless ``wrap``."""
    numeric = [bool(rows) and all(_is_figure(r[i]) for r in rows) for i in range(len(head))]
    th = "".join(f"<th{_cls(n)}>{escape(str(h))}</th>" for h, n in zip(head, numeric, strict=True))
    lines = [_tr(r, numeric) for r in rows]
    if footer is not None:
        lines.append(_tr(footer, numeric, ' class="total"'))
    attrs = ' class="wrap"' if wrap else ""
    return f"<table{attrs}><thead><tr>{th}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _is_figure(cell: str) -> bool:
    return bool(FIGURE.match(str(cell)))


def _cls(numeric: bool) -> str:
    return ' class="n"' if numeric else ""


def _tr(cells: Sequence[str], numeric: Sequence[bool], attrs: str = "") -> str:
    tds = "".join(
        f"<td{_cls(n)}>{escape(str(c))}</td>" for c, n in zip(cells, numeric, strict=True)
    )
    return f"<tr{attrs}>{tds}</tr>"


def _ratio(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def totals_line(locale: str, total: MetricTotals, currency: str) -> str:
    """One sentence with every campaign's spend, revenue, ROAS and CPA (plain text)."""
    return render(
        "demo_totals",
        locale,
        currency=currency,
        spend=money(total.spend),
        revenue=money(total.revenue),
        roas=_ratio(total.roas),
        cpa=money(total.cpa),
    )
