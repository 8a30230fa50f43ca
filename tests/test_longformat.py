import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planlib.longformat import IAMC_COLUMNS, to_iamc
from planlib.model import Model

ROOT = Path(__file__).resolve().parents[1]
PYAM_VENV = ROOT / ".cache" / "pyam-venv"


def test_iamc_columns(park):
    df = to_iamc(Model(park).evaluate(), park)
    assert list(df.columns) == IAMC_COLUMNS
    row = df[(df.variable == "经济发展|规上工业产值") & (df.year == 2025)]
    assert row.value.iloc[0] == pytest.approx(51.2435) and row.unit.iloc[0] == "亿元"
    assert set(to_iamc(Model(park).evaluate(), park, lang="id").variable) >= {"industrial_output"}


def _pyam_python() -> Path:
    """A cached virtualenv with pyam (kept out of planlib's own dependencies)."""
    py = PYAM_VENV / "bin" / "python"
    if not py.exists() or subprocess.run([py, "-c", "import pyam"], capture_output=True).returncode:
        subprocess.run([sys.executable, "-m", "venv", PYAM_VENV], check=True)
        # ixmp4 (pulled by pyam) breaks on SQLAlchemy 2.1
        subprocess.run(
            [py, "-m", "pip", "install", "-q", "pyam-iamc", "sqlalchemy<2.1"],
            check=True,
            timeout=900,
        )
    return py


@pytest.mark.slow
def test_pyam_reads_the_export(park, tmp_path):
    path = tmp_path / "park.csv"
    to_iamc(Model(park).evaluate(), park).to_csv(path, index=False)
    script = textwrap.dedent(f"""
        import pandas as pd, pyam
        df = pyam.IamDataFrame(pd.read_csv({str(path)!r}))
        v = df.filter(variable="经济发展|规上工业产值", year=2025).data["value"].iloc[0]
        print(df.model[0], df.scenario[0], df.region[0], round(v, 4), len(df.data))
    """)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = subprocess.run(
        [_pyam_python(), "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    model, scenario, region, value, n = out.stdout.split()
    assert (model, scenario, region) == ("planlib", "huangyang-park-14fyp", "黄羊工业园区")
    assert float(value) == pytest.approx(51.2435)
    assert int(n) == len(to_iamc(Model(park).evaluate(), park))


# ---- issue 12: pyam's unit registry knows planlib's units ------------------------------------
def test_every_planlib_unit_converts_in_pint_as_planlib_says():
    """Each pair of units of one dimension converts in pint by planlib.units.factor."""
    import itertools

    import pint

    from planlib.longformat import register_units
    from planlib.units import UNITS, factor

    ureg = register_units(pint.UnitRegistry())
    by_dim = {}
    for u in UNITS.values():
        by_dim.setdefault(u.dimension, []).append(u.name)
    checked = 0
    for names in by_dim.values():
        for a, b in itertools.permutations(names, 2):
            got = ureg.Quantity(1.0, a).to(b).magnitude
            assert got == pytest.approx(factor(a, b), rel=1e-12), (a, b)
            checked += 1
    assert checked > 30
    # hand values: 1 亿元 = 10000 万元; 1 平方公里 = 1500 亩; 3 万元/亩 = 45 元/平方米
    assert ureg.Quantity(1, "亿元").to("万元").magnitude == pytest.approx(1e4)
    assert ureg.Quantity(1, "平方公里").to("亩").magnitude == pytest.approx(1500)
    assert ureg.Quantity(3, "万元/亩").to("元/平方米").magnitude == pytest.approx(45)


def test_different_things_never_convert_in_pint():
    import pint

    from planlib.longformat import register_units

    ureg = register_units(pint.UnitRegistry())
    for a, b in [("户", "个"), ("百分点", "%"), ("人", "名"), ("米", "平方米"), ("元", "人")]:
        with pytest.raises(pint.DimensionalityError):
            ureg.Quantity(1, a).to(b)


def test_registering_in_pyams_registry_is_idempotent():
    """pyam's IamDataFrame.convert_unit uses iam_units.registry (pyam itself is not a test
    dependency: it pulls ixmp4 and a database stack)."""
    import iam_units

    from planlib.longformat import register_units

    assert register_units() is iam_units.registry
    register_units()  # a second call leaves the definitions alone
    assert iam_units.registry.Quantity(1, "亿元").to("万元").magnitude == pytest.approx(1e4)
