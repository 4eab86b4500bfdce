"""The demo report's creative-test section, from ``analyze_ab_test``'s responses.

Per variant: spend, conversions, CPA and ROAS with their intervals and the primary metric
against the control; then the verdict, the recommendation, how far the test is from the
sample it needs, what each method says, and the default method's verdict morning by morning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any, Protocol

from roasloop.demo import AB_METHODS, DemoResult, money

Label = Callable[..., str]
JSON = dict[str, Any]


class Table(Protocol):
    """The report's table builder (:func:`roasloop.entrypoints.report_html.table`)."""

    def __call__(
        self, head: Sequence[str], rows: Sequence[Sequence[str]], *, wrap: bool = False
    ) -> str: ...


SHORT_METRICS = {"cpa": "CPA", "roas": "ROAS", "cvr": "CVR", "ctr": "CTR"}


def ab_section(result: DemoResult, t: Label, table: Table) -> str:
    """Everything about the creative test, as HTML (``t`` gives plain text; ``table``
    escapes its cells)."""
    analysis = result.ab_test
    if not analysis.get("variants"):
        return "<p>—</p>"
    text = result.locale
    parts = [
        f"<p>{escape(_setup(analysis, t))}</p>",
        f"<p><strong>{escape(_verdict(analysis, text, t))}</strong> {escape(_when(result, t))}</p>",
        _recommendation(analysis, text, t),
        table(_variant_head(analysis, result.currency, t), _variant_rows(analysis, t), wrap=True),
        _needed(analysis, t),
        f"<h3>{escape(t('ab_methods'))}</h3>",
        _methods(result, t, table),
        _by_day(result, t, table),
    ]
    return "\n".join(p for p in parts if p)


def _setup(analysis: JSON, t: Label) -> str:
    metric = render_metric(analysis.get("primary_metric", ""), t)
    return t("ab_setup", metric=metric, method=t(f"ab_method_{analysis.get('method')}"))


def render_metric(metric: str, t: Label) -> str:
    """The primary metric's name in the page's language."""
    return t(f"ab_metric_{metric}")


def _verdict(analysis: JSON, locale: str, t: Label) -> str:
    """The verdict and its message, unless the recommendation below says the same."""
    message = _localized(analysis.get("messages", {}), locale)
    if [message] == _recommended(analysis, locale):
        message = ""
    return t("ab_verdict", verdict=t(f"ab_verdict_{analysis.get('verdict')}"), message=message)


def _localized(texts: JSON, locale: str) -> str:
    return str(texts.get(locale) or texts.get("en", ""))


def _recommended(analysis: JSON, locale: str) -> list[str]:
    return [_localized(r, locale) for r in analysis.get("recommendations", [])]


def _when(result: DemoResult, t: Label) -> str:
    decided = result.decided()
    if decided is None:
        return t("ab_undecided", days=len(result.ab_checks))
    return t("ab_decided", day=decided.day, date=decided.as_of)


def _recommendation(analysis: JSON, locale: str, t: Label) -> str:
    """What to do now: pause / fund, keep testing or end the test."""
    separator = "；" if locale == "zh-CN" else "; "
    text = separator.join(_recommended(analysis, locale))
    return f"<p>{escape(t('ab_recommendation', text=text))}</p>"


def _level(analysis: JSON) -> int:
    alpha = float(analysis.get("settings", {}).get("alpha") or 0.05)
    return round((1.0 - alpha) * 100)


def _variant_head(analysis: JSON, currency: str, t: Label) -> list[str]:
    level = _level(analysis)
    metric = analysis.get("primary_metric", "")
    short = SHORT_METRICS.get(metric) or render_metric(metric, t)
    return [
        t("col_variant"),
        t("col_money", name=t("col_spend"), currency=currency),
        t("col_conversions"),
        t("col_interval_money", name="CPA", currency=currency, level=level),
        t("col_interval", name="ROAS", level=level),
        t("col_metric_vs_control", metric=short),
    ]


def _variant_rows(analysis: JSON, t: Label) -> list[list[str]]:
    lifts = {c["variant_id"]: c for c in analysis.get("comparisons", [])}
    rows = []
    for v in analysis["variants"]:
        name = t("ab_control", variant=v["variant_id"]) if v["is_control"] else v["variant_id"]
        rows.append(
            [
                name,
                money(v["spend"]),
                f"{v['conversions']:,}",
                _interval(v["cpa"], money),
                _interval(v["roas"], lambda x: f"{x:.2f}"),
                _lift(lifts.get(v["variant_id"])),
            ]
        )
    return rows


def _interval(estimate: JSON, fmt: Callable[[float], str]) -> str:
    value, lower, upper = estimate.get("value"), estimate.get("lower"), estimate.get("upper")
    if value is None:
        return "—"
    if lower is None or upper is None:
        return fmt(value)
    return f"{fmt(value)} ({fmt(max(lower, 0.0))} – {fmt(upper)})"


def _lift(comparison: JSON | None) -> str:
    if comparison is None or comparison.get("lift") is None:
        return "—"
    lift: float = comparison["lift"]
    lower, upper = comparison.get("lift_lower"), comparison.get("lift_upper")
    if lower is None or upper is None:
        return _pct(lift)
    return f"{_pct(lift)} ({_pct(lower)} … {_pct(upper)})"


def _pct(value: float) -> str:
    return f"{value * 100:+.0f}%".replace("-", "−")


def _needed(analysis: JSON, t: Label) -> str:
    ready, settings = analysis.get("readiness") or {}, analysis.get("settings", {})
    required = ready.get("required_per_variant")
    if required is None or ready.get("ready"):
        return ""
    text = t(
        "ab_needed",
        mde=round(float(settings.get("mde") or 0) * 100),
        power=round(float(settings.get("power") or 0) * 100),
        required=f"{required:,.0f}",
        unit=t(f"ab_unit_{ready.get('unit')}"),
        current=f"{ready.get('current_per_variant', 0):,.0f}",
    )
    return f'<p class="note">{escape(text)}</p>'


def _methods(result: DemoResult, t: Label, table: Table) -> str:
    found = (result.ab_test, result.ab_chi_square, result.ab_bayesian)
    analyses = dict(zip(AB_METHODS, found, strict=True))
    rows = []
    for method in AB_METHODS:
        analysis = analyses[method]
        if not analysis:
            continue
        messages = analysis.get("messages", {})
        rows.append(
            [
                t(f"ab_method_{method}"),
                t(f"ab_verdict_{analysis.get('verdict')}"),
                analysis.get("winner") or "—",
                messages.get(result.locale, messages.get("en", "")),
            ]
        )
    head = [t("col_method"), t("col_verdict"), t("col_variant"), t("col_message")]
    return table(head, rows)


def _by_day(result: DemoResult, t: Label, table: Table) -> str:
    if not result.ab_checks:
        return ""
    variants = [v["variant_id"] for v in result.ab_test["variants"]]
    head = [t("col_test_day"), t("col_as_of"), *variants, t("col_verdict")]
    rows = [
        [
            str(check.day),
            check.as_of,
            *(f"{n:,}" for n in check.conversions),
            t(f"ab_verdict_{check.verdict}"),
        ]
        for check in result.ab_checks
    ]
    summary = escape(t("ab_by_day"))
    return f"<details><summary>{summary}</summary>{table(head, rows)}</details>"
