"""The sandbox's GAQL parser: the subset the adapter needs, and errors naming the token."""

from __future__ import annotations

import pytest

from roasloop.sandbox.google.gaql import Condition, GaqlError, like_pattern, parse


def test_parses_the_reference_report_query() -> None:
    query = parse(
        """SELECT campaign.id, campaign.name, segments.date, metrics.impressions, metrics.clicks,
               metrics.cost_micros, metrics.conversions, metrics.conversions_value
        FROM campaign WHERE segments.date BETWEEN '2026-01-01' AND '2026-01-31'"""
    )
    assert query.resource == "campaign"
    assert query.select[0] == "campaign.id" and query.select[-1] == "metrics.conversions_value"
    assert query.where == (Condition("segments.date", "BETWEEN", ("2026-01-01", "2026-01-31")),)


def test_parses_every_operator_order_by_and_limit() -> None:
    query = parse(
        "select ad_group.id from ad_group where ad_group.id in (1, 2) "
        "and campaign.status != 'REMOVED' and ad_group.name like \"%[[]rl:k[]]%\" "
        "and campaign.id = 7 and campaign.name not like '%x%' and ad_group.status not in (PAUSED) "
        "and segments.date during LAST_7_DAYS and campaign.id >= 3 and ad_group.name is not null "
        "order by ad_group.id desc, campaign.id limit 5"
    )
    operators = [c.operator for c in query.where]
    assert operators == [
        "IN", "!=", "LIKE", "=", "NOT LIKE", "NOT IN", "DURING", ">=", "IS NOT NULL",
    ]  # fmt: skip
    assert query.where[0].values == ("1", "2")
    assert query.where[2].values == ("%[[]rl:k[]]%",)
    assert query.order_by == (("ad_group.id", True), ("campaign.id", False))
    assert query.limit == 5


def test_escaped_quotes_in_strings() -> None:
    query = parse(r"SELECT campaign.id FROM campaign WHERE campaign.name = 'it\'s'")
    assert query.where[0].values == ("it's",)


@pytest.mark.parametrize(
    ("text", "code", "token"),
    [
        ("SELECT campaign.id FROMM campaign", "EXPECTED_FROM", "FROMM"),
        ("SELECT campaign.id", "UNEXPECTED_END_OF_QUERY", ""),
        ("SELEKT campaign.id FROM campaign", "EXPECTED_SELECT", "SELEKT"),
        ("SELECT campaign.id FROM campaign WHERE campaign.id ~ 3", "BAD_SYMBOL", "~"),
        (
            "SELECT campaign.id FROM campaign WHERE campaign.name = 'open",
            "STRING_NOT_TERMINATED",
            "'open",
        ),
        (
            "SELECT campaign.id FROM campaign WHERE campaign.id = 1 OR campaign.id = 2",
            "UNEXPECTED_INPUT",
            "OR",
        ),
        ("SELECT campaign.id FROM campaign LIMIT 0", "BAD_LIMIT_VALUE", "0"),
        (
            "SELECT campaign.id FROM campaign WHERE segments.date DURING NEXT_WEEK",
            "INVALID_VALUE_WITH_DURING_OPERATOR",
            "NEXT_WEEK",
        ),
        (
            "SELECT campaign.id FROM campaign WHERE campaign.name LIKE abc",
            "INVALID_VALUE_WITH_LIKE_OPERATOR",
            "abc",
        ),
        ("SELECT campaign.id FROM campaign ORDER campaign.id", "EXPECTED_BY", "campaign.id"),
        ("SELECT FROM campaign", "BAD_FIELD_NAME", "FROM"),
    ],
)
def test_errors_use_google_query_error_enums_and_name_the_token(
    text: str, code: str, token: str
) -> None:
    with pytest.raises(GaqlError) as caught:
        parse(text)
    assert caught.value.code == code
    assert token in caught.value.message


def test_like_brackets_escape_and_wildcards_match() -> None:
    assert like_pattern("%[[]Earth[_]to[_]Mars[]]%").fullmatch("x [Earth_to_Mars] y")
    assert not like_pattern("[[]Earth[_]to[_]Mars[]]%").fullmatch("[EarthXtoXMars]")
    assert like_pattern("a_c").fullmatch("abc") and like_pattern("a%").fullmatch("a")
    assert not like_pattern("a_c").fullmatch("ac")
