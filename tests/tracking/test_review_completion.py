"""完成情况 of a final review: the rule (超额完成 / 完成 / 基本完成 / 未完成) by hand."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib.tracking.review_completion import completion_outcome, completion_rate


def test_outcome_rule_by_hand():
    assert completion_outcome(50, 50, ">=") == "completed"  # equality is 完成
    assert completion_outcome(49.9999999, 50, ">=") == "completed"  # at the stated precision
    assert completion_outcome(50.01, 50, ">=") == "exceeded"
    assert completion_outcome(49.9, 50, ">=") == "not_completed"
    assert (
        completion_outcome(49.9, 50, ">=", basic=0.2) == "basically"
    )  # within the stated tolerance
    assert completion_outcome(5.0, 5.5, "<=") == "exceeded"
    assert completion_outcome(5.6, 5.5, "<=") == "not_completed"
    # 左右 band 0.5 around 7: inside on the good side 完成, other side 基本完成,
    # beyond it 超额/未完成
    got = completion_outcome(np.array([7.0, 7.3, 6.7, 7.6, 6.4]), 7, "~", True, 0.5)
    assert list(got) == ["completed", "completed", "basically", "exceeded", "not_completed"]
    assert list(completion_outcome(np.array([0.4, 0.41, 0.3]), 0.4, ">", basic=0.0)) == [
        "basically",
        "completed",
        "not_completed",
    ]
    assert completion_outcome(50.4, 50, "=", basic=0.5) == "completed"
    assert completion_outcome(float("nan"), 50, ">=") == "insufficient_data"
    with pytest.raises(ValueError, match="op must be one of"):
        completion_outcome(1, 1, "!=")
    assert completion_rate(47.5, 50) == pytest.approx(95.0)
    assert math.isnan(completion_rate(5.0, 5.5, higher=False)) and math.isnan(
        completion_rate(-1.5, 30)
    )


_RANK = {"not_completed": 0, "basically": 1, "completed": 2, "exceeded": 3}


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0.01, 100), st.floats(0, 2))
def test_outcome_monotone_in_the_achieved_figure(x, dx, value, basic):
    """More achieved never gives a worse 完成情况 for a >= target (and less never better for <=)."""
    lo = str(completion_outcome(x, value, ">=", basic=basic))
    hi = str(completion_outcome(x + dx, value, ">=", basic=basic))
    assert _RANK[hi] >= _RANK[lo]
    lo2 = str(completion_outcome(x + dx, value, "<=", basic=basic))
    hi2 = str(completion_outcome(x, value, "<=", basic=basic))
    assert _RANK[hi2] >= _RANK[lo2]
