import pytest

from planlib.model import Model
from planlib.solver import solve


def test_rate_that_just_meets_50(park):
    res = solve(park, "output_2025", "output_growth")
    assert res.status == "solved"
    assert res.value == pytest.approx(9.3265, abs=1e-4)
    assert res.best_implied == pytest.approx(50, abs=1e-7)  # met within the ≥ tolerance
    assert "9.33" in res.message


def test_solution_meets_and_a_little_less_misses(park):
    res = solve(park, "tax_2025", "tax_growth")
    m = Model(park)
    at = m.evaluate({"tax_growth": res.value}).at("tax", 2025)[0]
    below = m.evaluate({"tax_growth": res.value - 1e-6}).at("tax", 2025)[0]
    assert at >= 2 - 2e-9 > below


def test_unreachable_within_bounds(park):
    sc = park.model_copy(
        update={
            "targets": [
                t.model_copy(update={"value": 500.0}) if t.id == "output_2025" else t
                for t in park.targets
            ]
        }
    )
    res = solve(sc, "output_2025", "output_growth")
    assert res.status == "unreachable" and res.value is None
    assert res.best_param == 20.0
    assert res.best_implied == pytest.approx(35 * 1.2**4)
    assert "无法达到" in res.message
    en = solve(sc, "output_2025", "output_growth", lang="en")
    assert (
        "unreachable within bounds [0.00, 20.00]" in en.message
        and "best reachable 72.58" in en.message
    )


def test_met_throughout(park):
    res = solve(park, "output_2025", "tax_growth")  # tax growth does not move output
    assert res.status == "met_throughout"


def test_increment_parameter(park):
    res = solve(park, "above_scale_2025", "new_above_scale_per_year")
    assert res.value == pytest.approx(2.0, abs=1e-8)
