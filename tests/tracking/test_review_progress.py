"""Open SDG progress: ratio, classes, paces, trend and anticipated progress (pure, vectorised)."""

import numpy as np
import pytest

from planlib.tracking.review_progress import (
    anticipated_progress,
    classify,
    observed_pace,
    progress_ratio,
    project_trend,
)


def test_core_functions_broadcast():
    ratio = progress_ratio(
        np.array([0.1, 0.05, -0.01, 0.02, 0.0]), np.array([0.1, 0.1, 0.1, 0.0, 0.1])
    )
    assert np.isnan(ratio[3]) and ratio[0] == 1.0
    cls = classify(ratio, [False, False, False, False, True])
    assert list(cls) == [
        "on_track",
        "limited_progress",
        "moving_away",
        "insufficient_data",
        "achieved",
    ]
    assert classify(np.array([0.97]), [False], overdue=[True])[0] == "needs_acceleration"
    runs = np.array([[35.0, 40.0], [35.0, 45.0]])
    obs = observed_pace(runs[:, 0], runs[:, 1], 2)
    assert obs.shape == (2,)
    assert np.allclose(project_trend(runs[:, 1], obs, 2), runs[:, 1] ** 2 / runs[:, 0])
    assert observed_pace(1, 4, 3, "linear") == 1.0 and observed_pace(0, 9, 3, "sum") == 3.0
    assert anticipated_progress(10, 15, 20) == 50.0
    with pytest.raises(ValueError, match="method"):
        observed_pace(1, 2, 1, "bogus")
