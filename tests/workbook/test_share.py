"""planlib share without a browser: the model document, the page text, the fallback and the CLI.

The browser side (parity with Python at 200 points per scenario, offline, sliders, download) is in
tests/browser/test_share_page.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from planlib.cli import main
from planlib.errors import PlanlibError
from planlib.model import Model
from planlib.scenario import load_scenario
from planlib.workbook import share as share_mod
from planlib.workbook.render import external_resources
from planlib.workbook.share import (
    Unsupported,
    model_document,
    scenario_of_notebook,
    share,
    share_html,
)

ROOT = Path(__file__).resolve().parents[2]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
VOCABULARY = Path(__file__).parent / "data" / "share-vocabulary.yaml"


def _doc_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="planlib-model">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def _walk(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)
    else:
        yield node


def test_document_is_data_in_dependency_order():
    """Steps follow Model.order; formulas travel as trees, never as their text."""
    sc = load_scenario(ROOT / "scenarios" / "minimum-living-standard.yaml")
    model = Model(sc)
    doc = model_document(sc, model)
    json.dumps(doc, allow_nan=False)  # plain JSON: no NaN, no objects
    assert [doc["indicators"][s["row"]]["id"] for s in doc["steps"]] == list(model.order)
    exprs = [i.rule.expr for i in sc.indicators if i.rule is not None and i.rule.kind == "formula"]
    assert exprs
    strings = {x for x in _walk(doc["steps"]) if isinstance(x, str)}
    assert not any(e in strings for e in exprs)
    lagged = [s for s in doc["steps"] if s["op"] == "lagformula"]
    assert lagged and any('["lag",["self"]]' in json.dumps(s["expr"], separators=(",", ":"))
                          for s in lagged)


def test_formula_tree_keeps_operations_in_order():
    """'a - b / 2 ** c' parses as a − (b / (2 ** c)), names resolved to rows and parameters."""
    import ast

    sc = load_scenario(ROOT / "scenarios" / "minimum-living-standard.yaml")
    w = share_mod._Writer(sc, Model(sc))

    a, b = sc.indicators[0].id, sc.parameters[0].name
    tree = w.tree(ast.parse(f"-{a} - max({b}, 1, 2) / 2 ** {b}", mode="eval").body, "x", "t")
    row, par = ["i", w.row[a]], ["p", w.param[b]]
    assert tree == ["-", ["neg", row], ["/", ["max", [par, ["c", 1.0], ["c", 2.0]]],
                                        ["**", ["c", 2.0], par]]]


def test_page_is_one_offline_file_with_csp_and_escaped_names():
    """No external resource; the only script runs by its hash; markup in names stays text."""
    sc = load_scenario(VOCABULARY)
    page = share_html(sc)
    assert external_resources(page) == []
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and page.count("<script") == 2  # the evaluator + the JSON data
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page and "default-src 'none'" in page
    assert "eval(" not in scripts[0] and "new Function" not in scripts[0]
    assert "innerHTML" not in scripts[0]
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    doc = _doc_of(page)
    assert doc["meta"]["name"] == sc.meta.name  # intact once parsed
    assert len(page.encode("utf-8")) <= share_mod.MAX_BYTES


def test_every_bundled_scenario_is_live_and_small(tmp_path):
    """Every bundled scenario can be expressed: the fallback is for what does not exist yet."""
    for path in sorted((ROOT / "scenarios").glob("*.yaml")) + [VOCABULARY]:
        out, live = share(path, tmp_path / f"{path.stem}.html")
        assert live, path.name
        assert out.stat().st_size <= share_mod.MAX_BYTES


def test_unsupported_kind_falls_back_to_static_page(tmp_path, monkeypatch):
    """A rule kind the evaluator does not know gives the static page with a visible notice."""
    kinds = tuple(k for k in share_mod.RULE_KINDS if k != "path")
    monkeypatch.setattr(share_mod, "RULE_KINDS", kinds)
    with pytest.raises(Unsupported, match="path"):
        model_document(load_scenario(PARK))
    out, live = share(PARK, tmp_path / "p.html")
    assert not live
    page = out.read_text(encoding="utf-8")
    assert '<div class="planlib-notice">' in page and "静态版本" in page
    assert "&#x27;path&#x27;" in page
    assert "data-param" not in page and "<script" not in page
    assert external_resources(page) == []


def test_unsupported_target_kind_and_operator(monkeypatch):
    """Target kinds and operators are checked too."""
    sc = load_scenario(VOCABULARY)
    monkeypatch.setattr(share_mod, "OPS", (">=", "<="))
    with pytest.raises(Unsupported, match="operator"):
        model_document(sc)
    monkeypatch.setattr(share_mod, "OPS", (">=", "<=", "=", ">", "<", "~"))
    monkeypatch.setattr(share_mod, "TARGET_KINDS", ("level", "growth"))
    with pytest.raises(Unsupported, match="reduction|pp_change|relative_growth"):
        model_document(sc)


def test_check_block_holds_pythons_baseline():
    """The page compares itself with these numbers on load."""
    sc = load_scenario(PARK)
    doc = model_document(sc)
    base = Model(sc).evaluate().values[0]
    k = [i["id"] for i in doc["indicators"]].index("industrial_output")
    y = doc["years"].index(2025)
    assert doc["check"]["values"][k][y] == pytest.approx(base[k, y], rel=0, abs=0)
    # hand calculation: 35亿元 (2021) at 10 % for 4 years
    assert doc["check"]["values"][k][y] == pytest.approx(35 * 1.1**4, rel=1e-12)


def test_size_limit(tmp_path, monkeypatch):
    """A page above the limit is refused, not written."""
    monkeypatch.setattr(share_mod, "MAX_BYTES", 1000)
    with pytest.raises(PlanlibError, match="MB"):
        share(PARK, tmp_path / "p.html")
    assert not (tmp_path / "p.html").exists()


def test_cli_share_writes_refuses_to_overwrite_and_checks_suffix(tmp_path, capsys):
    """Exit 0 and a Chinese line; 2 without --force on an existing file or for a non-.html name."""
    out = tmp_path / "park.html"
    assert main(["share", str(PARK), "-o", str(out)]) == 0
    assert "离线可用" in capsys.readouterr().out and out.is_file()
    assert main(["share", str(PARK), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["share", str(PARK), "-o", str(out), "--force"]) == 0
    assert main(["share", str(PARK), "-o", str(tmp_path / "park.txt")]) == 2
    assert main(["share", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "m.html")]) == 2


def test_cli_share_static_fallback_says_so(tmp_path, capsys, monkeypatch):
    """The fallback is announced on stderr and still exits 0."""
    monkeypatch.setattr(share_mod, "RULE_KINDS", ())
    assert main(["share", str(PARK), "-o", str(tmp_path / "s.html")]) == 0
    captured = capsys.readouterr()
    assert "静态版本" in captured.out and "static" in captured.err


def test_render_live_uses_the_notebooks_scenario(tmp_path, capsys):
    """``render NOTEBOOK --live`` reads scenario_file from the parameters cell (never executed)."""
    out = tmp_path / "w.html"
    notebook = ROOT / "notebooks" / "02_whatif.ipynb"
    assert main(["render", str(notebook), "--live", "-o", str(out)]) == 0
    doc = _doc_of(out.read_text(encoding="utf-8"))
    assert doc["meta"]["file"] == PARK.name
    assert scenario_of_notebook(ROOT / "notebooks" / "08_minimum_living.ipynb").resolve() == (
        ROOT / "scenarios" / "minimum-living-standard.yaml").resolve()
    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    nbformat.write(nb, tmp_path / "n.ipynb")
    capsys.readouterr()
    args = ["render", str(tmp_path / "n.ipynb"), "--live", "-o", str(tmp_path / "n.html")]
    assert main(args) == 2
    assert "scenario_file" in capsys.readouterr().err


def test_notebook_what_if_reads_the_vocabulary_like_the_page():
    """WhatIf's table (which the page mirrors) lists qualitative and stated-only rows, 约 for ~."""
    from planlib.workbook.charts import chart_panels, target_marks
    from planlib.workbook.widgets import WhatIf

    wi = WhatIf(VOCABULARY)
    rows = {r[2]: r for r in wi.targets_frame().values.tolist()}  # 指标, 年份, 目标, …
    assert rows["保持在合理区间"][4:] == ["保持在合理区间", "—", "定性", "—", "—"]
    assert rows["年均增长7%以上"][4:7] == ["> 7.00%", "—", "无测算依据（仅列示）"]
    assert rows["年均增长6%左右"][4] == "约 6.00%"
    # 〔13.5〕 needs (1 − 0.135)^(1/5) − 1 = −2.86 % a year
    assert rows["〔13.5〕"][8] == f"{((1 - 0.135) ** 0.2 - 1) * 100:.2f}%" == "-2.86%"
    # baseline: only urban_up misses (0.8 百分点 × 5 years = 4, not > 4); 2 rows are not judged
    assert wi.summary() == "目标达标 7/8，约束性未达标 0，预期性未达标 1，定性/仅列示 2；基准情景"
    panels = chart_panels(wi.scenario, 12)
    marks = {m.target: m for m in target_marks(wi.scenario, wi.baseline, panels)}
    assert "income_vs_gdp" not in marks and "prices" not in marks and "rd" not in marks
    assert marks["energy_down"].value == pytest.approx(0.516 * (1 - 0.135), rel=1e-12)


def test_a_variant_is_shared_with_its_own_values(tmp_path):
    """A variant file (extends + overrides) shares as itself: its values are the baseline."""
    import shutil

    from planlib.scenario import save_variant

    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    base = load_scenario(folder / PARK.name)
    path = save_variant(base, folder / "slow.yaml", "slow", "放缓", {"output_growth": 8.0})
    doc = model_document(load_scenario(path))
    assert doc["meta"]["file"] == "slow.yaml"
    p = next(p for p in doc["parameters"] if p["name"] == "output_growth")
    assert p["default"] == 8.0
    k = [i["id"] for i in doc["indicators"]].index("industrial_output")
    assert doc["check"]["values"][k][doc["years"].index(2025)] == pytest.approx(35 * 1.08**4)


# ---- precision and language (the page prints what planlib prints elsewhere) ------------------
COUNTY = ROOT / "scenarios" / "county-example-14fyp.yaml"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def test_document_ships_the_digits_python_decided():
    """Each indicator's precision and each target's digits travel in the data (hand-read)."""
    doc = model_document(load_scenario(COUNTY))
    dec = {i["id"]: i["decimals"] for i in doc["indicators"]}
    # 0.600 → 0.516 吨标煤/万元: 3; 2.5件 and 2.9人: 1; 30张: 0; 400亿元: 2
    assert (dec["energy_intensity"], dec["patents"], dec["doctors"]) == (3, 1, 1)
    assert (dec["elderly_beds"], dec["gdp"]) == (0, 2)
    digits = {t["id"]: t["digits"] for t in doc["targets"]}
    assert digits["energy_intensity_level_2025"] == {"figure": 3, "pace": [3, 3], "rate": 2}
    assert digits["elderly_beds_level_2025"] == {"figure": 0, "pace": [0, 2], "rate": 2}
    assert digits["energy_intensity_reduction_2025"]["figure"] == 2  # 〔13.5〕 %
    assert "units" not in doc  # no second rule by unit in the page


class _Chrome(HTMLParser):
    """Text inside the page's fixed words: headings, buttons, labels, headers, legend, footer."""

    TAGS = {"title", "h1", "h2", "button", "label", "th", "caption", "summary", "footer"}
    CLASSES = {"planlib-legend", "planlib-offline", "planlib-download-hint"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "meta", "br"):
            return
        cls = dict(attrs).get("class") or ""
        self.stack.append(tag in self.TAGS or bool(self.CLASSES & set(cls.split())))

    def handle_endtag(self, tag):
        if self.stack and tag not in ("input", "meta", "br"):
            self.stack.pop()

    def handle_data(self, data):
        if any(self.stack) and data.strip():
            self.texts.append(data.strip())


def test_english_page_has_no_chinese_in_its_words():
    """--lang en: headings, buttons, labels, headers, legend and the script's words in English;
    names from name_en (the park file has one for every indicator and parameter)."""
    sc = load_scenario(PARK)
    page = share_html(sc, "en")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    parser = _Chrome()
    parser.feed(page.split('<script type="application/json"')[0])
    assert len(parser.texts) > 20 and "Reset to baseline" in parser.texts
    assert [t for t in parser.texts if CJK.search(t)] == []
    doc = _doc_of(page)
    assert doc["lang"] == "en" and doc["text"] == share_mod.PAGE_TEXT["en"]
    assert [s for s in _walk(doc["text"]) if CJK.search(s)] == []
    assert [i["name"] for i in doc["indicators"]] == [sc.indicator(i).name_en for i in
                                                      Model(sc).indicators]
    assert [p["label"] for p in doc["parameters"]] == [p.label_en for p in sc.parameters]
    for t in doc["targets"]:  # the words of each row; units stay as written
        words = [t["label"], t["span"], t["attribute"], t["indicator_name"]]
        assert not any(CJK.search(w) for w in words), t["id"]
    assert {t["attribute"] for t in doc["targets"]} == {"indicative"}
    assert doc["panels"][0]["title"] == "New projects introduced (cumulative)"
    assert not any(CJK.search(p["title"]) for p in doc["panels"])


def test_english_page_falls_back_to_chinese_names_and_keeps_the_digits():
    """A file without name_en keeps its Chinese names; numbers and their digits do not change."""
    sc = load_scenario(COUNTY)
    zh, en = model_document(sc), model_document(sc, lang="en")
    assert [i["name"] for i in en["indicators"]] == [i["name"] for i in zh["indicators"]]
    assert {t["attribute"] for t in en["targets"]} == {"indicative", "binding"}
    assert [t["binding"] for t in en["targets"]] == [t["attribute"] == "约束性"
                                                     for t in zh["targets"]]
    for key in ("steps", "check", "years", "marks"):
        assert en[key] == zh[key], key
    assert [t["digits"] for t in en["targets"]] == [t["digits"] for t in zh["targets"]]
    with pytest.raises(PlanlibError, match="lang 'fr'"):
        model_document(sc, lang="fr")


def test_chinese_stays_the_default():
    """No lang is zh: the same page; the script's Chinese words are the notebook what-if's."""
    from planlib.workbook.widgets import LISTED, MET, MISSED, QUALITATIVE, TARGET_COLUMNS

    sc = load_scenario(VOCABULARY)
    assert share_html(sc) == share_html(sc, "zh")
    text = share_mod.PAGE_TEXT["zh"]
    assert text["head"] == list(TARGET_COLUMNS)
    assert (text["met"], text["missed"], text["qualitative"], text["listed"]) == (
        MET, MISSED, QUALITATIVE, LISTED)
    assert set(share_mod.PAGE_TEXT["zh"]) == set(share_mod.PAGE_TEXT["en"])
    assert set(share_mod.CHROME["zh"]) == set(share_mod.CHROME["en"])


def test_cli_lang(tmp_path, capsys):
    """share --lang en and render --live --lang en write the English page; render without
    --live refuses --lang en (exit 2)."""
    out = tmp_path / "en.html"
    assert main(["share", str(PARK), "-o", str(out), "--lang", "en"]) == 0
    assert "works offline" in capsys.readouterr().out
    assert _doc_of(out.read_text(encoding="utf-8"))["lang"] == "en"
    nb = ROOT / "notebooks" / "02_whatif.ipynb"
    out2 = tmp_path / "nb.html"
    assert main(["render", str(nb), "--live", "--lang", "en", "-o", str(out2)]) == 0
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["render", str(nb), "--lang", "en", "-o", str(tmp_path / "x.html")]) == 2
    assert "--live" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
