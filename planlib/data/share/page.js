/* planlib share: the page (sliders, targets table, SVG charts, 恢复基准, 下载情景).
 *
 * Reads the compiled scenario from the JSON data element #planlib-model with
 * JSON.parse (data only), builds the controls with createElement/textContent (no HTML from the
 * file is ever parsed), and recomputes everything synchronously on each slider input.
 */
(function () {
  "use strict";
  var E = PlanlibEval;
  var SVG = "http://www.w3.org/2000/svg";
  var doc = JSON.parse(document.getElementById("planlib-model").textContent);
  var tx = doc.text;  /* the page's words, in the page's language (planlib.workbook.share.PAGE_TEXT) */
  var Y = doc.years.length;
  var params = doc.parameters.map(function (p) { return p["default"]; });
  var base = params.slice();
  var baseRows = E.evaluate(doc, base);
  var sliders = [], readouts = [], cells = [], charts = [];
  var live = true;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }

  /* ---- sliders --------------------------------------------------------------------------- */
  function buildParams() {
    var box = document.querySelector(".planlib-params");
    doc.parameters.forEach(function (p, k) {
      var row = el("div", "planlib-param planlib-param-" + p.name);
      var label = el("label", "planlib-label", p.label);
      if (p.description) label.title = p.description;
      var input = el("input");
      input.type = "range";
      input.setAttribute("data-param", p.name);
      input.min = String(p.min); input.max = String(p.max); input.step = String(p.step);
      input.value = String(p["default"]);
      input.id = "planlib-p-" + k;
      label.htmlFor = input.id;
      var out = el("output", "planlib-readout");
      out.setAttribute("data-readout", p.name);
      var baseText = el("span", "planlib-baseline",
        tx.baseline + " " + E.fmtNumber(p["default"], p.decimals) + " " + p.unit);
      input.addEventListener("input", function () { set(k, Number(input.value)); });
      row.appendChild(label); row.appendChild(input); row.appendChild(out); row.appendChild(baseText);
      box.appendChild(row);
      sliders.push(input); readouts.push(out);
    });
    if (!doc.parameters.length) box.appendChild(el("p", null, tx.no_parameters));
  }

  /* ---- targets table --------------------------------------------------------------------- */
  var HEAD = tx.head;
  function buildTable() {
    var table = document.querySelector("table.planlib-targets");
    var thead = el("thead"), tr = el("tr");
    HEAD.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    doc.targets.forEach(function (t) {
      var r = el("tr");
      r.setAttribute("data-target", t.id);
      var row = [];
      for (var c = 0; c < HEAD.length; c++) { var td = el("td"); r.appendChild(td); row.push(td); }
      tbody.appendChild(r); cells.push(row);
    });
    table.appendChild(tbody);
    if (!doc.targets.length) {
      var r = el("tr"), td = el("td", null, tx.no_targets);
      td.colSpan = HEAD.length; r.appendChild(td); tbody.appendChild(r);
    }
  }

  /* ---- trajectories table (every indicator by year) ------------------------------------------ */
  var trajCells = [];
  function buildTrajectories() {
    var table = document.querySelector("table.planlib-trajectory-table");
    var thead = el("thead"), tr = el("tr");
    tr.appendChild(el("th", null, tx.trajectory_head[0]));
    tr.appendChild(el("th", null, tx.trajectory_head[1]));
    doc.years.forEach(function (y) { tr.appendChild(el("th", null, String(y))); });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    doc.indicators.forEach(function (ind) {
      var r = el("tr"), row = [];
      r.setAttribute("data-indicator", ind.id);
      r.appendChild(el("td", null, ind.name));
      r.appendChild(el("td", null, ind.unit));
      for (var t = 0; t < Y; t++) { var td = el("td", "num"); r.appendChild(td); row.push(td); }
      tbody.appendChild(r); trajCells.push(row);
    });
    table.appendChild(tbody);
  }
  function drawTrajectories(rows) {
    for (var i = 0; i < rows.length; i++) {
      var d = doc.indicators[i].decimals;
      for (var t = 0; t < Y; t++) {
        var s = E.fmtNumber(rows[i][t], d);
        if (trajCells[i][t].textContent !== s) trajCells[i][t].textContent = s;
      }
    }
  }

  /* ---- charts ---------------------------------------------------------------------------- */
  var W = 360, H = 220, L = 58, R = 16, T = 30, B = 26;
  function panelValues(p, rows) {
    var row = rows[p.row], out = new Array(Y);
    if (p.from === null) { for (var t = 0; t < Y; t++) out[t] = row[t]; return out; }
    var acc = 0;
    for (var u = 0; u < Y; u++) {
      if (u < p.from) { out[u] = NaN; continue; }
      acc += isNaN(row[u]) ? 0 : row[u];
      out[u] = acc;
    }
    return out;
  }
  function niceStep(span) {
    var raw = span / 4, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  }
  function xAt(t) { return L + (Y > 1 ? t * (W - L - R) / (Y - 1) : (W - L - R) / 2); }
  function pathOf(vals, c) {
    var d = "", pen = false;
    for (var t = 0; t < Y; t++) {
      var v = vals[t];
      if (!isFinite(v)) { pen = false; continue; }
      d += (pen ? "L" : "M") + xAt(t).toFixed(1) + " " + c.y(v).toFixed(1);
      pen = true;
    }
    return d;
  }
  function drawAxes(c) {
    var g = c.axes;
    while (g.firstChild) g.removeChild(g.firstChild);
    var step = niceStep(c.hi - c.lo), dec = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (var v = Math.ceil(c.lo / step) * step; v <= c.hi + step * 1e-9; v += step) {
      var y = c.y(v);
      g.appendChild(svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": "grid" }));
      var lab = svg("text", { x: L - 4, y: y + 4, "text-anchor": "end", "class": "tick" });
      lab.textContent = E.fmtNumber(Math.abs(v) < step * 1e-9 ? 0 : v, dec);
      g.appendChild(lab);
    }
    var every = Math.max(1, Math.floor(Y / 6));
    for (var t = 0; t < Y; t += every) {
      var tx = svg("text", { x: xAt(t), y: H - 8, "text-anchor": "middle", "class": "tick" });
      tx.textContent = String(doc.years[t]);
      g.appendChild(tx);
    }
  }
  function buildCharts() {
    var box = document.querySelector(".planlib-charts");
    doc.panels.forEach(function (p, k) {
      var div = el("div", "planlib-chart");
      div.setAttribute("data-indicator", doc.indicators[p.row].id);
      var s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img" });
      var title = svg("text", { x: L, y: 16, "class": "title" });
      title.textContent = p.title + " [" + p.unit + "]";
      s.appendChild(title);
      var c = { p: p, lo: p.lo, hi: p.hi, axes: svg("g", {}), svg: s };
      c.y = function (v) { return T + (c.hi - v) * (H - T - B) / (c.hi - c.lo); };
      s.appendChild(c.axes);
      c.base = svg("path", { "class": "planlib-baseline-line" });
      c.cur = svg("path", { "class": "planlib-current" });
      s.appendChild(c.base); s.appendChild(c.cur);
      c.marks = [];
      doc.marks.forEach(function (m) {
        if (m.panel !== k || m.value === null) return;
        var binding = m.binding;
        var shape = binding ? svg("path", { "class": "mark binding" }) : svg("circle", { r: 4.5, "class": "mark indicative" });
        var tip = svg("title", {});
        tip.textContent = m.label;
        shape.appendChild(tip);
        s.appendChild(shape);
        c.marks.push({ m: m, shape: shape, binding: binding });
      });
      div.appendChild(s);
      box.appendChild(div);
      charts.push(c);
      layoutChart(c);
    });
  }
  function layoutChart(c) {
    drawAxes(c);
    c.base.setAttribute("d", pathOf(panelValues(c.p, baseRows), c));
    c.marks.forEach(function (mk) {
      var x = xAt(mk.m.year), y = c.y(mk.m.value);
      if (mk.binding) mk.shape.setAttribute("d", "M" + x + " " + (y - 6) + "L" + (x + 6) + " " + y + "L" + x + " " + (y + 6) + "L" + (x - 6) + " " + y + "Z");
      else { mk.shape.setAttribute("cx", x); mk.shape.setAttribute("cy", y); }
    });
  }
  function drawChart(c, rows) {
    var vals = panelValues(c.p, rows), lo = c.lo, hi = c.hi, mn = Infinity, mx = -Infinity;
    for (var t = 0; t < Y; t++) if (isFinite(vals[t])) { mn = Math.min(mn, vals[t]); mx = Math.max(mx, vals[t]); }
    if (mn < lo || mx > hi) {  /* widen only, as planlib.plots.TrajectoryChart */
      var span = Math.max(hi, mx) - Math.min(lo, mn);
      c.lo = Math.min(lo, mn - 0.05 * span); c.hi = Math.max(hi, mx + 0.05 * span);
      layoutChart(c);
    }
    c.cur.setAttribute("d", pathOf(vals, c));
  }

  /* ---- recompute --------------------------------------------------------------------------- */
  var current = null;
  function overrides() {
    var out = [];
    doc.parameters.forEach(function (p, k) {
      var a = params[k], b = base[k];
      if (!(Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-12))) out.push(k);
    });
    return out;
  }
  function summary(res) {
    var met = 0, bind = 0, ind = 0, info = 0;
    doc.targets.forEach(function (t, j) {
      if (t.mode !== "numeric") info++;
      else if (res.met[j]) met++;
      else if (t.binding) bind++;
      else ind++;
    });
    var changed = overrides().map(function (k) {
      var p = doc.parameters[k];
      return p.label + " " + E.fmtNumber(params[k], p.decimals) + p.unit;
    });
    var w = tx.summary;
    return w.met + met + "/" + (doc.targets.length - info) + w.binding + bind + w.indicative + ind +
      (info ? w.info + info : "") + w.then +
      (changed.length ? w.changed + changed.join(w.join) : w.unchanged);
  }
  function update() {
    var rows = E.evaluate(doc, params), res = E.evaluateTargets(doc, rows);
    current = { rows: rows, res: res };
    var texts = E.targetRows(doc, res);
    for (var j = 0; j < texts.length; j++) {
      var row = cells[j];
      for (var c = 0; c < row.length; c++) if (row[c].textContent !== texts[j][c]) row[c].textContent = texts[j][c];
      row[6].className = doc.targets[j].mode !== "numeric" ? "info" : res.met[j] ? "met" : "missed";
    }
    var changed = overrides();
    doc.parameters.forEach(function (p, k) {
      readouts[k].textContent = E.fmtNumber(params[k], p.decimals) + " " + p.unit;
      readouts[k].parentNode.classList.toggle("changed", changed.indexOf(k) >= 0);
    });
    document.querySelector(".planlib-summary").textContent = summary(res);
    charts.forEach(function (c) { drawChart(c, rows); });
    drawTrajectories(rows);
  }
  function set(k, value) {
    if (!live) return;
    var p = doc.parameters[k];
    if (!(value >= p.min && value <= p.max)) return;
    params[k] = value;
    update();
  }
  function reset() {
    params = base.slice();
    sliders.forEach(function (s, k) { s.value = String(base[k]); });
    update();
  }

  /* ---- 下载情景: a variant that extends the original file -------------------------------- */
  function yamlNumber(x) {
    var s = String(x);
    if (/e/i.test(s)) s = x.toFixed(12).replace(/0+$/, "").replace(/\.$/, ".0");
    return s;
  }
  function variantYaml(fileName, name) {
    var stem = (fileName || "").replace(/\.ya?ml$/i, "");
    var id = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(stem) ? stem : doc.meta.id + "-variant";
    var lines = [
      tx.variant_comment[0] + doc.meta.file.replace(/[\r\n]/g, " ") + tx.variant_comment[1],
      "extends: " + JSON.stringify(doc.meta.file),
      "meta:",
      "  id: " + JSON.stringify(id),
      "  name: " + JSON.stringify(name || doc.meta.name + tx.variant_name)
    ];
    var ov = overrides();
    if (!ov.length) lines.push("overrides: {}");
    else {
      lines.push("overrides:");
      ov.forEach(function (k) { lines.push("  " + JSON.stringify(doc.parameters[k].name) + ": " + yamlNumber(params[k])); });
    }
    return lines.join("\n") + "\n";
  }
  function download() {
    var fname = document.querySelector(".planlib-filename").value.trim() || doc.meta.id + "-variant.yaml";
    if (!/\.ya?ml$/i.test(fname)) fname += ".yaml";
    var text = variantYaml(fname, document.querySelector(".planlib-variant-name").value.trim());
    var blob = new Blob([text], { type: "text/yaml;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = fname;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* ---- self-check: the browser must reproduce Python's baseline ---------------------------- */
  function close(a, b) {
    if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b);
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300) || a === b;
  }
  function selfCheck() {
    var rows = baseRows, res = E.evaluateTargets(doc, rows), chk = doc.check;
    for (var i = 0; i < rows.length; i++) {
      for (var t = 0; t < Y; t++) {
        if (!close(rows[i][t], E.num(chk.values[i][t]))) return doc.indicators[i].name + " " + doc.years[t];
      }
    }
    for (var j = 0; j < doc.targets.length; j++) {
      var ct = doc.targets[j], edge = ct.mode === "numeric" &&
        Math.abs(E.margin(res.implied[j], ct.op, ct.value, ct.tolerance)) <= 1e-9 * Math.max(1, Math.abs(ct.value));
      if (!close(res.implied[j], E.num(chk.implied[j])) || (res.met[j] !== chk.met[j] && !edge)) return ct.label;
    }
    return null;
  }
  function disable(msg) {
    live = false;
    var n = document.querySelector(".planlib-notice");
    n.textContent = msg;
    n.hidden = false;
    sliders.forEach(function (s) { s.disabled = true; });
    document.querySelectorAll(".planlib-actions button").forEach(function (b) { b.disabled = true; });
    /* numbers this page computed are not shown: only the baseline tables rendered by Python */
    [".planlib-summary", "table.planlib-targets", ".planlib-charts", ".planlib-legend",
      ".planlib-trajectories"].forEach(function (sel) {
      var node = document.querySelector(sel);
      if (node) node.hidden = true;
    });
  }

  document.querySelector(".planlib-filename").value = doc.meta.id + "-variant.yaml";
  document.querySelector(".planlib-variant-name").value = doc.meta.name + tx.variant_name;
  document.querySelector(".planlib-reset").addEventListener("click", reset);
  document.querySelector(".planlib-download").addEventListener("click", download);
  buildParams();
  buildTable();
  buildCharts();
  buildTrajectories();
  update();
  var bad = null;
  try { bad = selfCheck(); } catch (err) { bad = String(err); }
  if (bad !== null) {
    disable(tx.mismatch[0] + bad + tx.mismatch[1]);
  }

  window.planlibShare = {
    doc: doc,
    evaluate: function (values) {
      var rows = E.evaluate(doc, E.paramArray(doc, values));
      return rows.map(function (r) { return Array.prototype.slice.call(r); });
    },
    evaluatePoints: function (points) { return E.evaluatePoints(doc, points); },
    set: function (name, value) {
      var k = doc.parameters.findIndex(function (p) { return p.name === name; });
      if (k < 0) throw new Error("no parameter " + name);
      sliders[k].value = String(value);
      set(k, Number(value));
    },
    reset: reset,
    variantYaml: function (fileName, name) { return variantYaml(fileName, name); },
    selfCheck: selfCheck,
    fmtNumber: E.fmtNumber,
    rows: function () { return E.targetRows(doc, current.res); },
    current: function () { return current; },
    live: function () { return live; }
  };
})();
