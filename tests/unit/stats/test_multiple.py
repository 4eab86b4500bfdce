"""Holm and Benjamini-Hochberg against statsmodels.multipletests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from roasloop.stats.multiple import adjust

p_lists = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)  # statsmodels' Holm takes ~70 ms a call
@given(p_lists)
def test_holm_equals_statsmodels(ps: list[float]) -> None:
    expected = multipletests(ps, method="holm")[1]
    assert adjust(ps, "holm") == pytest.approx(list(expected), abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(p_lists)
def test_bh_equals_statsmodels(ps: list[float]) -> None:
    expected = multipletests(ps, method="fdr_bh")[1]
    assert adjust(ps, "bh") == pytest.approx(list(expected), abs=1e-12)


def test_none_and_unknown() -> None:
    assert adjust([0.01, 0.2], "none") == [0.01, 0.2]
    with pytest.raises(ValueError, match="unknown correction"):
        adjust([0.1], "bonferroni-ish")
