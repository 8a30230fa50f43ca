"""Contract over the community-programme scenario files (issue 6):
every CLI command works on each."""

import json

import pytest
from _programmes import SCENARIOS, cli

from planlib.domains.programmes import component_reports, report_text
from planlib.scenario import load_scenario

FILES = [
    "xishan-service-centres.yaml",
    "community-norms-city.yaml",
    "community-norms-county.yaml",
    "taierzhuang-village-consolidation.yaml",
    "minimum-living-standard.yaml",
]


@pytest.mark.parametrize("name", FILES)
def test_every_command_works(name, capsys):
    path = SCENARIOS / name
    for args in (
        ["audit", path],
        ["table", path],
        ["table", path, "--format", "csv"],
        ["run", path, "--iamc"],
        ["programme", path],
    ):
        code, out, err = cli(capsys, *args)
        assert code == 0, (args, err)
        assert out.strip() and "np.float64" not in out
    code, out, err = cli(capsys, "programme", path, "--format", "json")
    assert json.loads(out)[0]["kind"] in {
        "service_centres",
        "community_norms",
        "village_consolidation",
        "minimum_living",
    }


@pytest.mark.parametrize("name", FILES)
def test_every_parameter_is_a_slider_inside_its_bounds(name):
    sc = load_scenario(SCENARIOS / name)
    assert sc.parameters, "a programme exposes sliders"
    for p in sc.parameters:
        lo, hi = p.bounds
        assert lo <= p.default <= hi and p.step and p.label_zh


@pytest.mark.parametrize("name", FILES)
def test_reports_are_json_ready(name):
    sc = load_scenario(SCENARIOS / name)
    reports = component_reports(sc)
    json.dumps(reports, ensure_ascii=False, allow_nan=False)
    assert report_text(reports).startswith(reports[0]["kind"])
