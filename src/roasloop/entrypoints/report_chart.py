"""The demo report's chart: inline SVG, no scripts. Hover text is SVG ``<title>`` elements.

Daily spend is drawn as bars stacked by campaign (left axis, account currency) and the ROAS of
every campaign together as a line (right axis), with the campaigns' target ROAS as a dashed
line. Delivery is reported in full the same day but conversions arrive over about a week
(``PlatformCapabilities.report_visibility``), so days whose conversions are still mostly
unreported are hatched and left off the ROAS line instead of drawn as a ROAS that will rise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from roasloop.demo import DemoResult, money
from roasloop.domain.attribution import visible_share
from roasloop.domain.metrics import MetricTotals

Label = Callable[..., str]
WIDTH, HEIGHT = 800, 340
LEFT, RIGHT, TOP, BOTTOM = 76, 64, 30, 58
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
#: A day's ROAS is treated as settled once this share of its conversions is expected to be
#: in the report (TikTok: four days after the day).
MATURE_SHARE = 0.9
COLORS = ("#8ab4f8", "#c58af9", "#81c995", "#fdd663")
ROAS_COLOR, TARGET_COLOR, AXIS_COLOR, GRID_COLOR = "#c5221f", "#e37400", "#5f6368", "#e8eaed"
HATCH = (
    '<defs><pattern id="immature" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f3f4"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#9aa0a6" stroke-width="2"/></pattern></defs>'
)


@dataclass(frozen=True, slots=True)
class ChartDay:
    """One day of the chart: spend per campaign, the day's totals, its reported share."""

    day: str
    parts: tuple[tuple[str, Decimal], ...]
    total: MetricTotals
    visible: float

    @property
    def mature(self) -> bool:
        return self.visible >= MATURE_SHARE


@dataclass(frozen=True, slots=True)
class Scale:
    """A vertical axis from 0 to ``top`` with evenly spaced ticks."""

    top: float
    step: float

    @property
    def ticks(self) -> list[float]:
        return [self.step * i for i in range(round(self.top / self.step) + 1)]

    def y(self, value: float) -> float:
        return TOP + PLOT_H * (1.0 - value / self.top)

    def label(self, value: float) -> str:
        decimals = 0 if self.step >= 1 else (1 if (self.step * 10).is_integer() else 2)
        return f"{value:,.{decimals}f}"


def nice_scale(maximum: float, count: int = 5) -> Scale:
    """An axis up to a round number at or above ``maximum`` with about ``count`` steps."""
    raw = max(maximum, 1e-9) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    return Scale(math.ceil(maximum / step - 1e-9) * step or step, step)


def chart_days(result: DemoResult) -> list[ChartDay]:
    """The days of the run with their spend per campaign and reported share."""
    as_of = date.fromisoformat(result.as_of) if result.as_of else None
    out = []
    for day, total in result.daily:
        parts = tuple(
            (c.title(result.locale), c.daily.get(day, MetricTotals()).spend)
            for c in result.campaigns
        )
        age = (as_of - date.fromisoformat(day)).days if as_of else 0
        visible = visible_share(result.maturity, age) if result.maturity else 1.0
        out.append(ChartDay(day, parts, total, visible))
    return out


def chart_svg(result: DemoResult, t: Label) -> str:
    """The whole chart as one ``<svg>`` element (empty-data safe)."""
    days = chart_days(result)
    if not days:
        return "<p>—</p>"
    spend = nice_scale(max(float(d.total.spend) for d in days) or 1.0)
    settled = [float(d.total.roas) for d in days if d.mature and d.total.roas is not None]
    target = float(result.target_roas) if result.target_roas else None
    roas = nice_scale(max([*settled, target or 0.0, 0.5]) * 1.1)
    body = [
        HATCH,
        _grid(spend),
        _bars(days, spend, result.currency, t),
        _immature(days, t),
        _target(target, roas, t),
        _roas_line(days, roas, result.currency, t),
        _axes(days, spend, roas, result.currency, t),
    ]
    label = escape(t("demo_chart"))
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{label}" '
        f'font-family="inherit" font-size="12">' + "".join(body) + "</svg>"
    )


def _color(campaign: int) -> str:
    return COLORS[campaign % len(COLORS)]


def _x(index: int, count: int) -> float:
    """Left edge of day ``index``'s slot."""
    return LEFT + PLOT_W * index / count


def _grid(spend: Scale) -> str:
    return "".join(
        f'<line x1="{LEFT}" y1="{spend.y(v):.1f}" x2="{LEFT + PLOT_W}" y2="{spend.y(v):.1f}" '
        f'stroke="{GRID_COLOR}"/>'
        for v in spend.ticks[1:]
    )


def _day_title(d: ChartDay, currency: str, t: Label) -> str:
    parts = ", ".join(f"{name} {money(value)}" for name, value in d.parts)
    head = t("chart_day", day=d.day, spend=money(d.total.spend), currency=currency, parts=parts)
    roas = "—" if d.total.roas is None else f"{d.total.roas:.2f}"
    if d.mature:
        return f"{head} · ROAS {roas}"
    return f"{head} · " + t("chart_so_far", roas=roas, share=round(d.visible * 100))


def _bars(days: Sequence[ChartDay], spend: Scale, currency: str, t: Label) -> str:
    out = []
    slot = PLOT_W / len(days)
    for i, d in enumerate(days):
        x, base = _x(i, len(days)) + slot * 0.15, 0.0
        rects = []
        for k, (_, value) in enumerate(d.parts):
            top, bottom = spend.y(base + float(value)), spend.y(base)
            base += float(value)
            rects.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{bottom - top:.1f}" fill="{_color(k)}"/>'
            )
        title = escape(_day_title(d, currency, t))
        out.append(f"<g><title>{title}</title>{''.join(rects)}</g>")
    return "".join(out)


def _immature(days: Sequence[ChartDay], t: Label) -> str:
    first = next((i for i, d in enumerate(days) if not d.mature), None)
    if first is None:
        return ""
    x = _x(first, len(days))
    width = LEFT + PLOT_W - x
    return (
        f'<rect class="immature" x="{x:.1f}" y="{TOP}" width="{width:.1f}" height="{PLOT_H}" '
        f'fill="url(#immature)" opacity="0.55" pointer-events="none"/>'
        f'<text x="{x + width / 2:.1f}" y="{TOP - 8}" text-anchor="middle" fill="{AXIS_COLOR}">'
        f"{escape(t('chart_immature'))}</text>"
    )


def _target(target: float | None, roas: Scale, t: Label) -> str:
    if target is None:
        return ""
    y = roas.y(target)
    text = escape(t("chart_target", roas=f"{target:.2f}"))
    return (
        f'<g class="target"><title>{text}</title>'
        f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + PLOT_W}" y2="{y:.1f}" '
        f'stroke="{TARGET_COLOR}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 6}" y="{y - 6:.1f}" fill="{TARGET_COLOR}" stroke="#fff" '
        f'stroke-width="3" paint-order="stroke">{text}</text></g>'
    )


def _roas_line(days: Sequence[ChartDay], roas: Scale, currency: str, t: Label) -> str:
    slot = PLOT_W / len(days)
    segments: list[list[str]] = [[]]
    points = []
    for i, d in enumerate(days):
        if not d.mature or d.total.roas is None:
            segments.append([])
            continue
        x, y = _x(i, len(days)) + slot / 2, roas.y(float(d.total.roas))
        segments[-1].append(f"{x:.1f},{y:.1f}")
        title = t(
            "chart_point",
            day=d.day,
            roas=f"{d.total.roas:.2f}",
            revenue=money(d.total.revenue),
            spend=money(d.total.spend),
            currency=currency,
        )
        points.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ROAS_COLOR}">'
            f"<title>{escape(title)}</title></circle>"
        )
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="{ROAS_COLOR}" stroke-width="2"/>'
        for s in segments
        if len(s) > 1
    )
    return lines + "".join(points)


def _axes(days: Sequence[ChartDay], spend: Scale, roas: Scale, currency: str, t: Label) -> str:
    right, base = LEFT + PLOT_W, TOP + PLOT_H
    out = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS_COLOR}"/>',
        f'<line x1="{right}" y1="{TOP}" x2="{right}" y2="{base}" stroke="{AXIS_COLOR}"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{right}" y2="{base}" stroke="{AXIS_COLOR}"/>',
    ]
    out += [_tick(LEFT - 6, spend.y(v), spend.label(v), "end") for v in spend.ticks]
    out += [_tick(right + 6, roas.y(v), roas.label(v), "start") for v in roas.ticks]
    out += _date_ticks(days)
    middle = TOP + PLOT_H / 2
    out.append(_axis_title(18, middle, -90, escape(t("chart_axis_spend", currency=currency))))
    out.append(_axis_title(WIDTH - 14, middle, 90, escape(t("chart_axis_roas")), ROAS_COLOR))
    out.append(
        f'<text class="axis-title" x="{LEFT + PLOT_W / 2:.1f}" y="{HEIGHT - 8}" '
        f'text-anchor="middle" fill="{AXIS_COLOR}">{escape(t("chart_axis_date"))}</text>'
    )
    return "".join(out)


def _tick(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" fill="{AXIS_COLOR}" '
        f'font-size="11">{text}</text>'
    )


def _axis_title(x: float, y: float, angle: int, text: str, color: str = AXIS_COLOR) -> str:
    return (
        f'<text class="axis-title" x="{x}" y="{y:.1f}" text-anchor="middle" fill="{color}" '
        f'transform="rotate({angle} {x} {y:.1f})">{text}</text>'
    )


def _date_ticks(days: Sequence[ChartDay]) -> list[str]:
    every = max(1, math.ceil(len(days) / 10))
    slot = PLOT_W / len(days)
    base = TOP + PLOT_H
    out = []
    for i in range(0, len(days), every):
        x = _x(i, len(days)) + slot / 2
        out.append(
            f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="{AXIS_COLOR}"/>'
        )
        out.append(_tick(x, base + 14, days[i].day[5:], "middle"))
    return out


def chart_legend(result: DemoResult, t: Label) -> str:
    """The chart's key, as HTML under it."""
    items = [
        f'<span><i style="background:{_color(k)}"></i>{escape(c.title(result.locale))}</span>'
        for k, c in enumerate(result.campaigns)
    ]
    roas_line = escape(t("chart_roas_line"))
    items.append(f'<span><i class="line" style="background:{ROAS_COLOR}"></i>{roas_line}</span>')
    if result.target_roas:
        target = escape(t("chart_target", roas=f"{result.target_roas:.2f}"))
        items.append(f'<span><i class="dash"></i>{target}</span>')
    items.append(f'<span><i class="hatch"></i>{escape(t("chart_immature"))}</span>')
    note = escape(t("chart_note", share=round(MATURE_SHARE * 100)))
    return f'<div class="legend">{"".join(items)}</div><p class="note">{note}</p>'
