import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib.errors import PlanlibError
from planlib.units import UNITS, UnitError, convert, factor, get_unit


def test_money_and_area_factors():
    assert convert(1.0, "亿元", "万元") == pytest.approx(1e4)
    assert convert(2575.0, "万元", "亿元") == pytest.approx(0.2575)
    assert convert(1.0, "平方公里", "亩") == pytest.approx(1500.0)
    assert convert(15.0, "亩", "公顷") == pytest.approx(1.0)
    assert convert(1.0, "亩", "平方米") == pytest.approx(666.6667, abs=1e-4)
    assert convert(4517.22, "公顷", "亩") / 65158 == pytest.approx(1.04, abs=0.005)  # seed §6


def test_arrays_convert_elementwise():
    out = convert(np.array([1.0, 2.0]), "万人", "人")
    np.testing.assert_allclose(out, [1e4, 2e4])


def test_unknown_unit_names_the_allowed_ones():
    with pytest.raises(UnitError, match=r"'亿' is not a unit; use one of 元, 万元, 亿元"):
        get_unit("亿")
    assert issubclass(UnitError, PlanlibError)


def test_counts_of_different_things_do_not_convert():
    with pytest.raises(UnitError, match="cannot convert"):
        factor("户", "个")
    with pytest.raises(UnitError, match="cannot convert"):
        factor("%", "百分点")


@given(st.sampled_from(sorted(UNITS)), st.sampled_from(sorted(UNITS)), st.floats(-1e9, 1e9))
def test_round_trip(a, b, x):
    if UNITS[a].dimension != UNITS[b].dimension:
        return
    assert convert(convert(x, a, b), b, a) == pytest.approx(x, rel=1e-12, abs=1e-9)


# ---- real plans: aliases, suggestions, declared units, 元/万元/亿元 slips (issue 13) ----------
def test_aliases_resolve_to_one_unit():
    from planlib.units import canonical, convert, is_unit

    assert canonical("吨标煤") == "吨标准煤" and is_unit("吨标煤/万元")
    assert convert(2.0, "万吨标煤", "吨标准煤") == 20000.0


def test_unknown_unit_names_the_nearest():
    with pytest.raises(UnitError, match=r"nearest: 万吨标准煤"):
        get_unit("万吨标准")


def test_declared_units_convert_and_refuse_a_second_meaning():
    from planlib.units import convert, declare_unit

    declare_unit("测试公斤", None)
    declare_unit("测试吨", "测试公斤", 1000)
    assert convert(1.5, "测试吨", "测试公斤") == 1500.0
    declare_unit("测试吨", "测试公斤", 1000)  # the same meaning again is fine
    with pytest.raises(UnitError, match="already means"):
        declare_unit("测试吨", "测试公斤", 100)
    with pytest.raises(UnitError, match="already means"):
        declare_unit("亿元", "元", 1e4)


@pytest.mark.parametrize(
    "actual, plan, flag",
    [
        (350000, 35, "1e4"),
        (35, 350000, "1e-4"),
        (3.5e9, 35, "1e8"),
        (36, 35, None),
        (700, 35, None),
        (-350000, 35, None),
        (0, 35, None),
    ],
)
def test_magnitude_mixup(actual, plan, flag):
    from planlib.units import magnitude_mixup

    assert magnitude_mixup(actual, plan) == flag
