"""The back-test chart: gain share per family and policy, as a hand-written SVG (no plotting
library needed). Bars are clipped to [−50 %, 150 %]; the printed label keeps the true value."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from roasloop.backtest.metrics import OVERALL, Summary

WIDTH, HEIGHT = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 40, 110
LOW, HIGH = -0.5, 1.5
COLORS = ("#8c8c8c", "#c9a227", "#d9822b", "#2b7bd9", "#3a9d5d", "#7a4fb3", "#b33f4f")


def gain_share_svg(summaries: Sequence[Summary], title: str = "Share of achievable gain") -> str:
    """Grouped bars: one group per family (and overall), one bar per policy except the two
    reference policies (static is 0 % and oracle 100 % by definition)."""
    policies = [
        p for p in dict.fromkeys(s.policy for s in summaries) if p not in ("static", "oracle")
    ]
    families = list(dict.fromkeys(s.family for s in summaries))
    share = {(s.family, s.policy): s.gain_share for s in summaries}
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(families), 1)
    bar = group * 0.8 / max(len(policies), 1)

    def y(value: float) -> float:
        clipped = min(max(value, LOW), HIGH)
        return TOP + plot_h * (HIGH - clipped) / (HIGH - LOW)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<text x="{LEFT}" y="22" font-size="14">{escape(title)}</text>',
    ]
    for tick in (-0.5, 0.0, 0.5, 0.7, 1.0, 1.5):
        dash = ' stroke-dasharray="4 3"' if tick == 0.7 else ""
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#ddd"{dash}/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.0%}</text>'
        )
    for gi, family in enumerate(families):
        x0 = LEFT + gi * group + group * 0.1
        for pi, policy in enumerate(policies):
            value = share.get((family, policy))
            if value is None:
                continue
            x, top, base = x0 + pi * bar, y(max(value, 0.0)), y(min(value, 0.0))
            color = COLORS[pi % len(COLORS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar * 0.9:.1f}" '
                f'height="{max(base - top, 0.5):.1f}" fill="{color}">'
                f"<title>{escape(family)} · {escape(policy)}: {value:.1%}</title></rect>"
            )
        label = "overall" if family == OVERALL else family.replace("_", " ")
        cx = LEFT + gi * group + group / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end" '
            f'transform="rotate(-30 {cx:.1f} {HEIGHT - BOTTOM + 16})">{escape(label)}</text>'
        )
    for pi, policy in enumerate(policies):
        lx = LEFT + pi * 150
        parts.append(
            f'<rect x="{lx}" y="{HEIGHT - 18}" width="12" height="12" '
            f'fill="{COLORS[pi % len(COLORS)]}"/>'
            f'<text x="{lx + 16}" y="{HEIGHT - 8}">{escape(policy)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
