"""Printed numbers: counts of single things are whole, scaled counts and money keep decimals."""

from __future__ import annotations

import pytest

from planlib.formatting import decimals_for, fmt_value, is_whole_count


@pytest.mark.parametrize(
    ("x", "unit", "text"),
    [
        (92.8, "个", "93个"),  # issue 12: 92.80 个 service centres
        (52126.4, "户", "52,126户"),
        (7493.0, "人", "7,493人"),
        (115.6, "名", "116名"),
        (5.2126, "万户", "5.21万户"),
        (4.9, "万人", "4.90万人"),
        (51.2435, "亿元", "51.24亿元"),
        (-0.4, "个", "0个"),
    ],
)
def test_counts_print_whole(x, unit, text):
    assert fmt_value(x, unit) == text


def test_whole_count_units():
    assert all(is_whole_count(u) for u in ("个", "户", "人", "名", "家", "项"))
    assert not any(is_whole_count(u) for u in ("万户", "万人", "亿元", "%", "人/户", None, "??"))
    assert decimals_for("户") == 0 and decimals_for("万户") == 2


def test_averages_of_counts_keep_their_decimals():
    """27 projects in 5 years is 5.40 a year (beside a progress ratio of 0.90), not '5个'."""
    from planlib.formatting import fmt_average

    assert fmt_average(27 / 5, "个") == "5.40个"
    assert fmt_average(6.0, "个") == "6个"
    assert fmt_average(3.0, "亿元") == "3.00亿元"
    assert fmt_average(2.5, "户", with_unit=False) == "2.50"
