"""城乡低保标准 (seed 000 篇3): standard_t = max(standard_{t-1}, 30 % × consumption_{t-1})."""

import numpy as np
import pytest
from _programmes import SCENARIOS, audit_rows, edited, line_of, programme, run_values

from planlib.domains.minimum_living_component import next_standard
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario

MLS = SCENARIOS / "minimum-living-standard.yaml"


def test_next_standard_is_vectorised_and_never_falls():
    out = next_standard([241, 241, 241], [9000, 9640, 12000], 30, months=12)
    assert out == pytest.approx([241, 241, 300])
    assert next_standard(1350, 4000) == 1350 and next_standard(1350, 5000) == pytest.approx(1500)


def test_seed_figures_from_run(capsys):
    v = run_values(capsys, MLS)
    assert v[("urban_standard", 2011)] == 241
    assert v[("rural_standard", 2011)] == 1350
    assert v[("urban_subsidy", 2011)] == pytest.approx(197)
    assert v[("rural_subsidy", 2011)] == pytest.approx(1044)
    assert v[("relief", 2011)] == pytest.approx(1.2)
    assert v[("relief_province", 2011)] == pytest.approx(6000)  # 省级6000万元
    assert v[("relief_local", 2011)] == pytest.approx(6000)
    # the rule, year by year, with the stated consumption assumptions
    uc, rc = v[("urban_consumption", 2011)], v[("rural_consumption", 2011)]
    assert uc == pytest.approx(241 * 12 / 0.3 * 1.10) and rc == pytest.approx(1350 / 0.3 * 1.12)
    assert v[("urban_standard", 2012)] == pytest.approx(max(241, 0.3 * uc / 12))
    assert v[("rural_standard", 2012)] == pytest.approx(max(1350, 0.3 * rc))
    # funding need = recipients × subsidy
    assert v[("urban_funding", 2011)] == pytest.approx(100 * 197 * 12 / 1e4)
    assert v[("rural_funding", 2011)] == pytest.approx(120 * 1044 / 1e4)


def test_falling_consumption_keeps_the_standard():
    m = Model(load_scenario(MLS))
    t = m.evaluate({"urban_growth": [-5.0, 10.0]})
    s = t.series("urban_standard")
    assert np.all(np.diff(s[:, 1:], axis=1) >= 0)  # never falls
    assert s[0, -1] == pytest.approx(241)  # consumption falls: the floor holds
    share = t.series("urban_standard_share")
    assert np.all(share[0, 2:] > 30)  # standard above 30 % once consumption falls


def test_audit_rule_targets_and_a_lower_share_misses_them(capsys):
    code, rows = audit_rows(capsys, MLS)
    assert code == 0 and rows["urban_rule_2015"]["implied"] == pytest.approx(30)
    # the slider lowers the share to 25 %: the binding 30 % rule is missed
    from planlib.auditing import audit

    rep = audit(load_scenario(MLS), params={"share": 25.0})
    assert rep.exit_code == 1
    statuses = {r["id"]: r["status"] for r in rep.rows}
    assert statuses["urban_rule_2013"] == "error"


def test_programme_report(capsys):
    r = programme(capsys, MLS)
    assert r["relief_province"]["2011"] == pytest.approx(6000)
    assert r["urban_standard"]["2012"] == pytest.approx(0.3 * 241 * 12 / 0.3 * 1.1 / 12)


@pytest.mark.parametrize(
    "old,new,field,needle",
    [
        (
            "      recipients: 100 ",
            "      recipients: -100 ",
            "urban.recipients",
            "recipients: -100",
        ),
        ("    province_share: 50 ", "    province_share: 150 ", "province_share", "province_share"),
        ("    share: 30 ", "    share: 130 ", "share", "    share:"),
        ("      subsidy: 197 ", "      subsidy: 300 ", "urban.subsidy", "subsidy: 300"),
    ],
)
def test_impossible_inputs_name_file_line_and_field(tmp_path, old, new, field, needle):
    path = edited(tmp_path, MLS, (old, new))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    assert f"{path}:{line_of(path, needle)} components[0].{field}" in text
