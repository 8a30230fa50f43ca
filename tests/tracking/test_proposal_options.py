"""Stated values and end levels of a target: value_of inverts level_of."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.tracking.proposal_options import level_of, value_of


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["level", "growth", "pp_change", "increment", "reduction"]),
    value=st.floats(-20, 60),
    base=st.floats(1, 1000),
    years=st.integers(1, 10),
)
def test_value_of_inverts_level_of(kind, value, base, years):
    level = level_of(kind, value, base, years)
    if kind == "growth":
        assert level == pytest.approx(base * (1 + value / 100) ** years)
    assert value_of(kind, level, base, years) == pytest.approx(value, abs=1e-9 * max(1, abs(value)))
