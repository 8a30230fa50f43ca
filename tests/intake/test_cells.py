"""The cell grammar of a 主要指标表 (planlib.intake.cells)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib.intake.cells import normalise, parse_cell, parse_number, split_name_unit


@pytest.mark.parametrize(
    ("text", "kind", "op", "value"),
    [
        ("〔4.8〕", "cumulative", None, 4.8),
        ("[14]", "cumulative", None, 14.0),
        ("〔13.5〕以上", "cumulative", ">=", 13.5),
        (">8", "number", ">", 8.0),
        ("＞８", "number", ">", 8.0),
        ("<5.5", "number", "<", 5.5),
        ("≥4.5", "number", ">=", 4.5),
        ("≤3", "number", "<=", 3.0),
        ("8以上", "number", ">=", 8.0),
        ("5.5以内", "number", "<=", 5.5),
        ("不低于87", "number", ">=", 87.0),
        ("不超过10", "number", "<=", 10.0),
        ("控制在5.5以内", "number", "<=", 5.5),
        ("7左右", "number", "~", 7.0),
        ("六左右", "number", "~", 6.0),
        ("百分之十", "number", None, 10.0),
        ("420", "number", None, 420.0),
        ("１２０", "number", None, 120.0),
        ("保持在合理区间", "text", None, None),
        ("国家下达", "text", None, None),
        ("—", "empty", None, None),
        ("", "empty", None, None),
        (None, "empty", None, None),
    ],
)
def test_cell_kinds(text, kind, op, value):
    """Cell kinds."""
    c = parse_cell(text)
    assert (c.kind, c.op, c.value) == (kind, op, value)


def test_relative_and_sync_cells_name_the_other_series():
    """Relative and sync cells name the other series."""
    c = parse_cell("与经济增长同步")
    assert (c.kind, c.op, c.value, c.reference) == ("sync", "~", 0.0, "经济")
    c = parse_cell("与地区生产总值增长基本同步")
    assert (c.kind, c.reference) == ("sync", "地区生产总值")
    c = parse_cell("高于地区生产总值增长")
    assert (c.kind, c.op, c.reference) == ("relative", ">", "地区生产总值")
    c = parse_cell("不低于经济增速")
    assert (c.kind, c.op, c.reference) == ("relative", ">=", "经济")


def test_doubling_estimates_stars_ranges_units():
    """Doubling estimates stars ranges units."""
    assert (parse_cell("翻一番").kind, parse_cell("翻一番").factor) == ("double", 2.0)
    assert parse_cell("翻两番").factor == 4.0
    c = parse_cell("预计１２０")
    assert (c.value, c.estimated) == (120.0, True)
    c = parse_cell("120（预计）")
    assert (c.value, c.estimated) == (120.0, True)
    c = parse_cell("78.1*")
    assert (c.value, c.starred, c.decimals) == (78.1, True, 1)
    c = parse_cell("6-7")
    assert (c.op, c.value, c.band) == ("~", 6.5, 0.5)
    c = parse_cell("60万吨")
    assert (c.value, c.unit) == (60.0, "万吨")
    assert parse_cell("5.50").decimals == 2


def test_excel_numbers():
    """Excel numbers."""
    assert (parse_cell(300).value, parse_cell(300).decimals) == (300.0, 0)
    assert (parse_cell(55.2).value, parse_cell(55.2).decimals) == (55.2, 1)


def test_split_name_unit_takes_the_last_bracket_only():
    """Split name unit takes the last bracket only."""
    assert split_name_unit("地区生产总值（亿元）") == ("地区生产总值", "亿元")
    assert split_name_unit("每千人口拥有执业（助理）医师数（人）") == (
        "每千人口拥有执业（助理）医师数",
        "人",
    )
    assert split_name_unit("城镇调查失业率(%)") == ("城镇调查失业率", "%")
    assert split_name_unit("森林覆盖率") == ("森林覆盖率", None)
    assert split_name_unit("3.  森林覆盖率（％）") == ("森林覆盖率", "%")


def test_normalise_full_width():
    """Normalise full width."""
    assert normalise("１２．５％") == "12.5%"
    assert parse_number("约一百二十") == (120.0, 0)


@given(
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "以上", "以内", "左右", "≥", "≤", ">", "<", "〔〕"]),
)
def test_any_number_with_any_marker_reads_back(num, marker):
    """Property: every number written with a marker is read back with that number."""
    text = format(num, "f")
    if marker == "〔〕":
        cell = f"〔{text}〕"
    elif marker in ("≥", "≤", ">", "<"):
        cell = marker + text
    else:
        cell = text + marker
    c = parse_cell(cell)
    assert c.value == pytest.approx(float(text))
    expected = {
        "": None,
        "以上": ">=",
        "以内": "<=",
        "左右": "~",
        "≥": ">=",
        "≤": "<=",
        ">": ">",
        "<": "<",
        "〔〕": None,
    }[marker]
    assert c.op == expected
    assert c.kind == ("cumulative" if marker == "〔〕" else "number")
