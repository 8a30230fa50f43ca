"""The shared live page in chromium: parity with Python, offline, sliders, download, fallback.

Follows tests/browser/README.md: the session's one chromium (tests/browser/conftest.py), screenshots
in .cache/screenshots/.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from browser.harness import ROOT, SCREENSHOTS
from planlib.model import Model
from planlib.scenario import load_scenario
from planlib.targets import compile_targets, evaluate_targets
from planlib.workbook import share as share_mod
from planlib.workbook.share import share
from planlib.workbook.widgets import WhatIf

pytestmark = [pytest.mark.browser]

VOCABULARY = Path(__file__).parents[1] / "workbook" / "data" / "share-vocabulary.yaml"
#: every bundled scenario, plus one that uses every target kind and operator of the vocabulary
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + [VOCABULARY]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
POINTS = 200
RTOL = 1e-9
FIELDS = (
    "implied",
    "gap",
    "start_value",
    "end_value",
    "implied_rate",
    "required_rate",
    "required_increment",
    "required_per_year",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """One live page per bundled scenario."""
    d = tmp_path_factory.mktemp("share")
    out = {}
    for path in SCENARIOS:
        page, live = share(path, d / f"{path.stem}.html")
        assert live, f"{path.name} fell back to the static page"
        out[path.stem] = page
    return out


def _offline(chromium, page_file):
    """Open a context with the network cut: every request but the page file itself is aborted."""
    context = chromium.new_context(
        offline=True, viewport={"width": 1200, "height": 900}, accept_downloads=True
    )
    requested = []
    own = Path(page_file).as_uri()

    def block(route):
        if route.request.url == own:
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    return context, requested


def _open(context, page_file):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(Path(page_file).as_uri())
    page.locator("table.planlib-targets tbody tr").first.wait_for(timeout=20000)
    assert errors == []
    return page


def _close(a, b, rtol=RTOL, atol=0.0):
    """Elementwise: both NaN, or |a - b| <= rtol·max(|a|, |b|) + atol."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        ok = np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + atol
    return nan | ok | (a == b)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_browser_equals_python_at_200_random_points(path, pages, chromium):
    """Trajectories and every target field agree within 1e-9 relative (one page per scenario)."""
    sc = load_scenario(path)
    model = Model(sc)
    rng = np.random.default_rng(17)
    lows = np.array([p.bounds[0] for p in sc.parameters])
    highs = np.array([p.bounds[1] for p in sc.parameters])
    points = rng.uniform(lows, highs, size=(POINTS, len(sc.parameters)))
    traj = model.evaluate({p.name: points[:, k] for k, p in enumerate(sc.parameters)})
    compiled = compile_targets(sc, model.evaluate())
    res = evaluate_targets(sc, traj, compiled)

    context, requested = _offline(chromium, pages[path.stem])
    try:
        page = _open(context, pages[path.stem])
        assert page.evaluate("planlibShare.live()") is True
        out = page.evaluate("pts => planlibShare.evaluatePoints(pts)", points.tolist())
    finally:
        context.close()
    assert requested == []

    js = np.array(out["values"], dtype=float)
    assert js.shape == traj.values.shape
    assert np.array_equal(np.isnan(js), np.isnan(traj.values))
    bad = ~_close(js, traj.values)
    assert not bad.any(), f"trajectories differ at (run, indicator, year) {np.argwhere(bad)[:3]}"
    assert np.isfinite(traj.values).sum() > POINTS  # the comparison covers real numbers
    for field in FIELDS:
        a = np.array([r[field] for r in out["targets"]], dtype=float)
        b = getattr(res, field)
        # a gap is a difference: judged relative to the stated value it is measured from
        stated = np.array([abs(c.target.value or 0.0) for c in compiled])
        scale = stated * RTOL if field == "gap" else 0.0
        bad = ~_close(a, b, atol=scale)
        assert not bad.any(), f"{field} differs at (run, target) {np.argwhere(bad)[:3]}"
    met = np.array([r["met"] for r in out["targets"]], dtype=bool)
    if compiled:
        from planlib.targets import margin

        edge = np.column_stack(
            [
                np.abs(margin(res.implied[:, j], c)) <= 1e-9 * max(1, abs(c.target.value or 0.0))
                for j, c in enumerate(compiled)
            ]
        )
        assert np.all((met == res.met) | edge)


@pytest.mark.parametrize("path", SCENARIOS[:-1], ids=[p.stem for p in SCENARIOS[:-1]])
def test_table_text_equals_the_notebook_what_if(path, pages, chromium):
    """At random points the page's targets table and summary read exactly as WhatIf's."""
    whatif = WhatIf(path)
    rng = np.random.default_rng(1717)
    context, requested = _offline(chromium, pages[path.stem])
    try:
        page = _open(context, pages[path.stem])
        for _ in range(8):
            values = {p.name: float(rng.uniform(*p.bounds)) for p in whatif.scenario.parameters}
            page.evaluate(
                "vs => { for (const [k, v] of Object.entries(vs)) planlibShare.set(k, v); }", values
            )
            whatif.set(**values)
            assert _row_texts(page) == whatif.targets_frame().values.tolist()
            assert page.locator(".planlib-summary").inner_text() == whatif.summary()
    finally:
        context.close()
    assert requested == []


def test_numbers_are_written_as_python_writes_them(pages, chromium):
    """fmt_number's rounding (ties to even on the exact binary value), signs and separators."""
    from planlib.formatting import fmt_number

    xs = [
        0.125,
        0.375,
        2.5,
        3.5,
        -0.004,
        -0.0,
        0.005,
        1234567.891,
        -1234.5,
        1e-7,
        99.995,
        0.0,
        float("nan"),
        float("inf"),
        -float("inf"),
        12.345,
        1.005,
        2.675,
        1e15 + 0.3,
    ]
    context, _ = _offline(chromium, pages[PARK.stem])
    try:
        page = _open(context, pages[PARK.stem])
        for d in (0, 1, 2, 3):
            got = page.evaluate("([xs, d]) => xs.map(x => planlibShare.fmtNumber(x, d))", [xs, d])
            assert got == [fmt_number(x, d) for x in xs], d
    finally:
        context.close()


def test_page_makes_no_request_and_recomputes_offline(pages, chromium):
    """With every request aborted the page still recomputes and resets; nothing was requested."""
    context, requested = _offline(chromium, pages[PARK.stem])
    seen = []
    try:
        page = _open(context, pages[PARK.stem])
        page.on("request", lambda r: seen.append(r.url))
        before = page.locator("table.planlib-targets").inner_text()
        page.evaluate("planlibShare.set('output_growth', 8)")
        assert page.locator("table.planlib-targets").inner_text() != before
        page.locator("button.planlib-reset").click()
        assert page.locator("table.planlib-targets").inner_text() == before
    finally:
        context.close()
    assert requested == [] and seen == []


def _row_texts(page) -> list[list[str]]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('table.planlib-targets tbody tr'))"
        ".map(tr => Array.from(tr.cells).map(td => td.textContent))"
    )


def test_page_content_alone_with_every_request_aborted(pages, chromium):
    """The page's text set directly, every route aborted: it works and asks for nothing."""
    context = chromium.new_context(offline=True)
    requested = []
    context.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.set_content(Path(pages[PARK.stem]).read_text(encoding="utf-8"))
        page.locator("table.planlib-targets tbody tr").first.wait_for(timeout=20000)
        assert page.evaluate("planlibShare.live()") is True
        page.evaluate("planlibShare.set('output_growth', 8)")
        assert "47.62亿元" in page.locator("table.planlib-targets").inner_text()
    finally:
        context.close()
    assert requested == []


def test_slider_moves_table_and_chart(pages, chromium):
    """Keyboard on a slider: readout, table (hand-checked), summary and chart move."""
    context, requested = _offline(chromium, pages[PARK.stem])
    try:
        page = _open(context, pages[PARK.stem])
        slider = page.locator('input[type="range"][data-param="output_growth"]')
        row = page.locator(".planlib-param-output_growth")
        assert "基准 10.0 %" in row.locator(".planlib-baseline").inner_text()
        chart = page.locator(
            '.planlib-chart[data-indicator="industrial_output"] path.planlib-current'
        )
        d_before = chart.get_attribute("d")
        whatif = WhatIf(PARK)
        assert _row_texts(page) == whatif.targets_frame().values.tolist()
        slider.focus()
        for _ in range(4):  # step 0.5 %: 10 % → 8 %
            page.keyboard.press("ArrowLeft")
        assert row.locator("output").inner_text() == "8.0 %"
        # hand calculation: 35亿元 in 2021 at 8 % a year for 4 years = 35·1.08⁴ = 47.62亿元 < 50
        out = page.locator('tr[data-target="output_2025"]').locator("td")
        assert out.nth(5).inner_text() == f"{35 * 1.08 ** 4:.2f}亿元" == "47.62亿元"
        assert out.nth(6).inner_text() == "未达标"
        assert out.nth(7).inner_text() == f"{35 * 1.08 ** 4 - 50:.2f}亿元"
        assert chart.get_attribute("d") != d_before
        cells = page.locator(
            'table.planlib-trajectory-table tr[data-indicator="industrial_output"] td'
        )
        years = page.evaluate("planlibShare.doc.years")
        assert cells.nth(2 + years.index(2025)).text_content() == "47.62"
        whatif.set(output_growth=8.0)
        assert _row_texts(page) == whatif.targets_frame().values.tolist()
        assert page.locator(".planlib-summary").inner_text() == whatif.summary()
        assert page.locator(".planlib-chart svg").count() >= 6
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "share-park-after.png"), full_page=True)
        page.emulate_media(media="print")
        assert not slider.is_visible() and not page.locator("button.planlib-download").is_visible()
        assert row.locator("output").is_visible()
    finally:
        context.close()
    assert requested == []


def test_downloaded_variant_is_accepted_by_planlib_audit(pages, chromium, tmp_path, capsys):
    """下载情景 saves a small variant (extends + meta + overrides) that loads and audits."""
    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    context, _ = _offline(chromium, pages[PARK.stem])
    try:
        page = _open(context, pages[PARK.stem])
        page.evaluate("planlibShare.set('output_growth', 8.5)")
        page.evaluate("planlibShare.set('tax_growth', 18)")
        page.locator(".planlib-filename").fill("slower.yaml")
        page.locator(".planlib-variant-name").fill('放缓 "情景" <b>')
        with page.expect_download() as info:
            page.locator("button.planlib-download").click()
        download = info.value
        assert download.suggested_filename == "slower.yaml"
        target = folder / download.suggested_filename
        download.save_as(target)
    finally:
        context.close()
    text = target.read_text(encoding="utf-8")
    assert len(text) < 1000 and "extends:" in text and "overrides:" in text
    variant = load_scenario(target)
    assert variant.extends == PARK.name
    assert variant.overrides == {"output_growth": 8.5, "tax_growth": 18.0}
    assert variant.meta.id == "slower" and variant.meta.name == '放缓 "情景" <b>'
    from planlib.cli import main

    code = main(["audit", str(target)])
    assert code in (0, 1)  # accepted (2 would be bad input)
    assert "规划审计" in capsys.readouterr().out


def test_hand_edited_model_is_not_trusted(pages, chromium, tmp_path):
    """An edited number in the embedded model fails the self-check: notice, sliders disabled."""
    text = Path(pages[PARK.stem]).read_text(encoding="utf-8")
    # the stated 2021 output (35亿元) edited by hand inside the embedded model data
    doc_text = re.search(
        r'<script type="application/json" id="planlib-model">(.*?)</script>', text, re.S
    ).group(1)
    doc = json.loads(doc_text)
    row = next(i for i, d in enumerate(doc["indicators"]) if d["id"] == "industrial_output")
    step = next(s for s in doc["steps"] if s["row"] == row)
    year = step["known"].index(35.0)
    step["known"][year] = 36.0
    edited = text.replace(doc_text, json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c"))
    bad = tmp_path / "edited.html"
    bad.write_text(edited, encoding="utf-8")
    context, requested = _offline(chromium, bad)
    try:
        page = context.new_page()
        page.goto(bad.as_uri())
        notice = page.locator(".planlib-notice")
        notice.wait_for(timeout=20000)
        assert "不一致" in notice.inner_text()
        assert page.locator('input[data-param="output_growth"]').is_disabled()
        assert not page.locator("table.planlib-targets").is_visible()  # no number it computed
        assert not page.locator(".planlib-chart").first.is_visible()
        assert page.locator("table.planlib-indicators").is_visible()  # Python's baseline stays
        assert page.evaluate("planlibShare.live()") is False
    finally:
        context.close()
    assert requested == []


def test_unsupported_scenario_gets_static_page_with_notice(chromium, tmp_path, monkeypatch):
    """A kind the generator cannot express: static tables and chart under a visible notice."""
    kinds = tuple(k for k in share_mod.RULE_KINDS if k != "growth")
    monkeypatch.setattr(share_mod, "RULE_KINDS", kinds)
    out, live = share(PARK, tmp_path / "static.html")
    assert not live
    context, requested = _offline(chromium, out)
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        notice = page.locator(".planlib-notice")
        assert notice.is_visible() and "静态版本" in notice.inner_text()
        assert "growth" in notice.inner_text()
        assert page.locator('input[type="range"]').count() == 0
        assert page.locator("table.planlib-indicators td").count() > 10
        assert page.locator("img.planlib-chart").evaluate("im => im.naturalWidth") > 500
    finally:
        context.close()
    assert requested == []


def test_vocabulary_rows_and_markup_in_names_stay_text(pages, chromium):
    """New target kinds read sensibly (hand-checked); markup in names is shown, never run."""
    context, requested = _offline(chromium, pages[VOCABULARY.stem])
    dialogs = []
    try:
        page = _open(context, pages[VOCABULARY.stem])
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        assert '<script>alert("x")</script>' in page.locator("h1").inner_text()
        assert page.locator("h1 script, .planlib-param b, table b script").count() == 0
        assert "<b>" in page.locator(".planlib-param-g label").inner_text()
        rows = {r[2]: r for r in _row_texts(page)}  # 指标, 年份, 目标, …
        assert rows["保持在合理区间"][4:7] == ["保持在合理区间", "—", "定性"]
        assert rows["年均增长7%以上"][5:7] == ["—", "无测算依据（仅列示）"]
        assert rows["年均增长6%左右"][4] == "约 6.00%"
        # hand calculation: 300亿元 at 6 % for 5 years = 401.47亿元, within 400 ± 15
        # (gdp_level has no wording: the table names it by indicator and kind, never its id)
        gdp = next(r for r in _row_texts(page) if r[0] == "地区生产总值" and r[2] == "期末水平")
        assert gdp[5:7] == [f"{300 * 1.06 ** 5:.2f}亿元", "达标"]
        # 〔13.5〕: 0.516 falling 3 % a year for 5 years is 1 − 0.97⁵ = 14.13 % lower
        assert rows["〔13.5〕"][5] == f"{(1 - 0.97 ** 5) * 100:.2f}%" == "14.13%"
        page.evaluate("planlibShare.set('e', 2.5)")  # 1 − 0.975⁵ = 11.89 % < 13.5: missed
        rows = {r[2]: r for r in _row_texts(page)}
        assert rows["〔13.5〕"][5:7] == [f"{(1 - 0.975 ** 5) * 100:.2f}%", "未达标"]
        assert "定性/仅列示 2" in page.locator(".planlib-summary").inner_text()
        years = page.evaluate("planlibShare.doc.years")
        assert years[-1] == 2035  # the model runs to the 2035 target
    finally:
        context.close()
    assert requested == [] and dialogs == []


def test_every_page_is_small(pages):
    """Each page stays under the 1.5 MB limit."""
    for page in pages.values():
        assert Path(page).stat().st_size <= share_mod.MAX_BYTES
    assert math.isfinite(len(pages)) and len(pages) == len(SCENARIOS)


# ---- precision: the page prints each indicator's own precision (as the audit and the table) --
def _table_texts(page, selector: str) -> list[list[str]]:
    return page.evaluate(
        "sel => Array.from(document.querySelectorAll(sel + ' tbody tr'))"
        ".map(tr => Array.from(tr.cells).map(td => td.textContent))",
        selector,
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_initial_tables_print_each_indicators_precision(path, pages, chromium):
    """The page's first tables read as Python writes the same values: levels with the
    indicator's precision (0.516 stays 0.516, counts whole), rates with 2 decimals or as many
    as the target was written with. Checked from the formatting primitives, not from the digits
    the page was given."""
    from planlib.formatting import (
        fmt_number,
        fmt_rate,
        fmt_value,
        indicator_decimals,
        is_whole_count,
        written_decimals,
    )

    sc = load_scenario(path)
    model = Model(sc)
    base = model.evaluate()
    compiled = compile_targets(sc, base)
    res = evaluate_targets(sc, base, compiled)
    context, requested = _offline(chromium, pages[path.stem])
    try:
        page = _open(context, pages[path.stem])
        traj = _table_texts(page, "table.planlib-trajectory-table")
        targets = _row_texts(page)
        if path.stem == "county-example-14fyp":
            page.evaluate("document.querySelector('details.planlib-trajectories').open = true")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "share-county-decimals.png"), full_page=True)
    finally:
        context.close()
    assert requested == []

    counts = [i for i in model.indicators if indicator_decimals(sc, i) == 0]
    assert len(traj) == len(model.indicators)
    for k, ind in enumerate(model.indicators):
        d = indicator_decimals(sc, ind)
        want = [fmt_number(v, d) for v in base.values[0, k]]
        assert traj[k][2:] == want, ind
        if ind in counts:
            assert not any("." in c for c in traj[k][2:]), ind  # a count never shows decimals
    for j, ct in enumerate(compiled):
        t, row = ct.target, targets[j]
        if getattr(ct, "mode", "numeric") != "numeric":
            continue
        rate = t.kind in ("growth", "pp_change", "reduction", "relative_growth")
        d = max(2, written_decimals(t.value)) if rate else indicator_decimals(sc, t.indicator)

        def fmt(x, d=d, unit=ct.unit, growth=t.kind == "growth"):
            return fmt_rate(x, d) if growth else fmt_value(x, unit, decimals=d)

        gap = float(res.gap[0, j])
        assert row[4].endswith(" " + fmt(t.value)), t.id
        assert row[5] == fmt(res.implied[0, j]), t.id
        assert row[7].lstrip("+") == fmt(gap) and row[7].startswith("+") == (
            gap > 0 and any(ch in "123456789" for ch in fmt(gap))
        ), t.id
        if t.indicator in counts and is_whole_count(sc.indicator(t.indicator).unit):
            assert not any("." in c for c in row[4:8]), t.id  # level, value, gap: whole
    if path.stem == "county-example-14fyp":  # hand-checked: 0.6 × 0.97ᵏ, 2.5 + 0.5k, 2.9 + 0.06k
        rows = {r[0]: r[2:] for r in traj}
        years = base.years.tolist()
        first = years.index(2020)
        assert rows["单位地区生产总值能源消耗"][first:first + 6] == [
            "0.600", "0.582", "0.565", "0.548", "0.531", "0.515"]
        assert rows["每万人口高价值发明专利拥有量"][first:first + 6] == [
            "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"]
        assert rows["每千人口拥有执业（助理）医师数"][first + 5] == "3.2"
        energy = next(r for r in targets if r[0] == "单位地区生产总值能源消耗" and r[1] == "2025年"
                      and r[2] == "期末水平")
        assert energy[4:6] == ["≤ 0.516吨标煤/万元", f"{0.6 * 0.97 ** 5:.3f}吨标煤/万元"]


def test_english_page_in_chromium(tmp_path, pages, chromium):
    """--lang en: no Chinese in the words the page shows (units stay as written); the same
    numbers as the Chinese page; the summary follows a slider in English."""
    out, live = share(PARK, tmp_path / "park-en.html", lang="en")
    assert live
    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
    context, requested = _offline(chromium, out)
    try:
        page = _open(context, out)
        assert page.evaluate("planlibShare.live()") is True
        chrome = page.evaluate(
            """() => {
              const texts = sel =>
                Array.from(document.querySelectorAll(sel)).map(e => e.textContent);
              return [].concat(texts('h1'), texts('h2'), texts('th'), texts('button'),
                texts('caption'), texts('details > summary'), texts('.planlib-legend'),
                texts('.planlib-param label'), texts('.planlib-actions label'),
                texts('.planlib-summary'), texts('.planlib-offline'), texts('footer'),
                texts('.planlib-chart text.title').map(t => t.replace(/ \\[[^\\]]*\\]$/, '')),
                [document.title]);
            }"""
        )
        assert len(chrome) > 60
        assert [t for t in chrome if cjk.search(t)] == []
        en_rows = _row_texts(page)
        words = [c for r in en_rows for c in (r[0], r[1], r[2], r[3], r[6])]
        assert [w for w in words if cjk.search(w)] == []
        assert {r[6] for r in en_rows} == {"met"}
        page.evaluate("planlibShare.set('output_growth', 8)")
        summary = page.locator(".planlib-summary").inner_text()
        assert summary.startswith("Targets met 12/14, binding missed 0, indicative missed 2; ")
        assert summary.endswith("changed: Growth of above-scale industrial output 8.0%")
        page.evaluate("planlibShare.reset()")
        page.evaluate("document.querySelector('details.planlib-trajectories').open = true")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "share-park-en.png"), full_page=True)
    finally:
        context.close()
    context, _ = _offline(chromium, pages[PARK.stem])
    try:
        zh_rows = _row_texts(_open(context, pages[PARK.stem]))
    finally:
        context.close()
    assert [(r[5], r[7], r[8].replace("每年", "")) for r in zh_rows] == [
        (r[5], r[7], r[8].replace(" a year", "")) for r in en_rows
    ]
    assert requested == []
