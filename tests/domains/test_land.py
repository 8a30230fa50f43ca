"""Land accounts, land needed at a 亩均产值, and 亩均效益 scoring."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.domains import land as L
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario
from planlib.solver import solve


def test_seed_land_sums(park):
    land = next(c for c in park.components if c.kind == "land")
    assert L.check_sum(
        9659.36, {"infra": 2537.46, "enterprise": 7121.9}, "acquired"
    ) == pytest.approx(9659.36)
    assert land.acquired == pytest.approx(land.infrastructure + land.enterprise)
    base = next(b for b in land.bases if b.name == "凉州产业基地")
    assert base.left_mu() == pytest.approx(1469.28 - 361) == pytest.approx(1108.28)
    assert land.land_left_total() == pytest.approx(82 + 1108.28)


def test_area_conversions():
    assert L.to_mu(1, "平方公里") == pytest.approx(1500)
    assert L.to_mu(1, "公顷") == pytest.approx(15)
    assert L.to_mu(5.55, "平方公里") == pytest.approx(8325)
    row = L.area_table({"x": 1500})[0]
    assert row["公顷"] == pytest.approx(100) and row["平方公里"] == pytest.approx(1)


@settings(max_examples=80, deadline=None)
@given(avail=st.floats(0, 1e5), used=st.floats(0, 1e5))
def test_land_never_negative_without_an_error_naming_the_base(avail, used):
    if used > avail + 1e-6:
        with pytest.raises(L.LandError, match="凉州产业基地"):
            L.land_left(avail, used, base="凉州产业基地")
    else:
        assert L.land_left(avail, used, base="凉州产业基地") >= 0


def test_accounts_that_do_not_add_up_are_errors(edited):
    with pytest.raises(ScenarioError, match=r"acquired land: .*9659.36"):
        load_scenario(edited(("acquired: 9659.36", "acquired: 9959.36")))
    with pytest.raises(ScenarioError, match=r"凉州产业基地.*exceeds what is available"):
        load_scenario(
            edited(
                ("compliant: 1469.28, used: 361, left: 1108.28", "compliant: 300, used: 361"),
                name="neg.yaml",
            )
        )
    with pytest.raises(ScenarioError, match=r"凉州产业基地.*stated as 1000"):
        load_scenario(
            edited(("used: 361, left: 1108.28", "used: 361, left: 1000"), name="left.yaml")
        )


def test_land_needed_and_output_per_mu(park):
    opm0 = 35e4 / 7121.9
    assert L.land_needed(35, opm0) == pytest.approx(7121.9)
    need = L.required_output_per_mu(50, 7121.9 + 1190.28)
    assert need == pytest.approx(50e4 / 8312.18)
    traj = Model(park).evaluate()
    assert traj.at("land_needed", 2021)[0] == pytest.approx(7121.9)
    assert traj.at("land_left", 2021)[0] == pytest.approx(1190.28)
    chk = next(c for c in audit(park).checks if c["kind"] == "land")["values"]
    assert chk["land_needed_constant"] == pytest.approx(50e4 / opm0)
    assert chk["shortfall_constant"] == pytest.approx(50e4 / opm0 - 7121.9 - 1190.28)
    assert chk["required_output_per_mu"] == pytest.approx(need)
    res = solve(park, "output_per_mu_needed", "output_per_mu_growth")
    assert res.status == "solved"
    assert res.value == pytest.approx(((round(need, 2) / opm0) ** 0.25 - 1) * 100, abs=1e-6)


def test_land_running_out_is_a_warning_naming_the_bases(park):
    rep = audit(park, params={"output_per_mu_growth": 0})
    chk = next(c for c in rep.checks if c["kind"] == "land")
    assert chk["status"] == "warning" and "镇区、凉州产业基地的用地不足" in chk["message"]


def _firms():
    return pd.DataFrame(
        {
            "name": [f"企业{i}" for i in range(10)],
            "tax_per_mu": np.linspace(2, 20, 10),
            "va_per_mu": np.linspace(10, 80, 10),
            "va_per_energy": np.linspace(0.5, 2, 10),
            "labour_productivity": np.linspace(5, 28, 10),
            "rd_share": np.linspace(0, 2.9, 10),
        }
    )


def test_scoring_ranks_and_classes(tmp_path):
    out = L.score_enterprises(_firms())
    assert out["class"].tolist() == ["A"] * 2 + ["B"] * 5 + ["C"] * 2 + ["D"]
    assert out["name"].iloc[0] == "企业9" and out["rank"].tolist() == list(range(1, 11))
    assert out.iloc[0]["score:tax_per_mu"] == pytest.approx(
        40 * 20 / 15
    )  # weight × value / benchmark
    capped = L.score_enterprises(
        pd.DataFrame({"name": ["a"], "x": [99.0]}),
        [L.ScoreIndicator("x", "x", 1, 10)],
        classes={"A": 1.0},
    )
    assert capped["score"].iloc[0] == pytest.approx(15)  # capped at 1.5 × weight
    assert out["score"].is_monotonic_decreasing
    # lower is better: energy per output scores benchmark / value
    ind = [L.ScoreIndicator("energy", "单位产值能耗", 0.5, 10, higher_is_better=False)]
    s = L.score_enterprises(
        pd.DataFrame({"name": ["a", "b"], "energy": [0.25, 1.0]}), ind, classes={"A": 0.5, "D": 0.5}
    )
    assert s["name"].tolist() == ["a", "b"] and s["score"].tolist() == pytest.approx([15, 5])
    # CSV and Excel read back the same
    csv, xlsx = tmp_path / "f.csv", tmp_path / "f.xlsx"
    _firms().to_csv(csv, index=False)
    _firms().to_excel(xlsx, index=False)
    pd.testing.assert_frame_equal(
        L.score_enterprises(L.read_enterprises(csv)), out, check_dtype=False
    )
    pd.testing.assert_frame_equal(
        L.score_enterprises(L.read_enterprises(xlsx)), out, check_dtype=False
    )


def test_scoring_errors_name_the_problem(tmp_path):
    with pytest.raises(L.LandError, match="lacks column.*rd_share"):
        L.score_enterprises(_firms().drop(columns="rd_share"))
    bad = _firms().astype({"tax_per_mu": object})
    bad.loc[3, "tax_per_mu"] = "n/a"
    with pytest.raises(L.LandError, match="tax_per_mu.*企业3"):
        L.score_enterprises(bad)
    with pytest.raises(L.LandError, match="sum to 1"):
        L.score_enterprises(_firms(), classes={"A": 0.5, "B": 0.2})
    with pytest.raises(L.LandError, match="unsupported file type"):
        (tmp_path / "f.txt").write_text("x")
        L.read_enterprises(tmp_path / "f.txt")


def test_land_and_score_charts(park):
    from planlib.workbook.structure_charts import land_figure, scores_figure

    land = next(c for c in park.components if c.kind == "land")
    f = land.findings(park, Model(park).evaluate())
    ax = land_figure(f).axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([7121.9, f["land_needed_constant"], 7121.9 + 1190.28])
    assert "60.15" in ax.get_title()
    scored = L.score_enterprises(_firms())
    ax = scores_figure(scored).axes[0]
    assert (
        ax.get_title() == "亩均效益评价" and len([p for p in ax.patches if p.get_width() > 0]) == 10
    )
