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
        subprocess.run([py, "-m", "pip", "install", "-q", "pyam-iamc", "sqlalchemy<2.1"], check=True,
                       timeout=900)
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
    out = subprocess.run([_pyam_python(), "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    model, scenario, region, value, n = out.stdout.split()
    assert (model, scenario, region) == ("planlib", "huangyang-park-14fyp", "黄羊工业园区")
    assert float(value) == pytest.approx(51.2435)
    assert int(n) == len(to_iamc(Model(park).evaluate(), park))
