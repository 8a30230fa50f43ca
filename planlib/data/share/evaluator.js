/* planlib share: the generic evaluator of a compiled scenario (one file for every scenario).
 *
 * The scenario travels as data (see planlib/workbook/share.py, model_document): indicators in
 * dependency order ("steps"), rule values as one atom per year, formula trees as nested arrays,
 * compiled targets. Nothing from the page is ever executed as code. Each step performs the same
 * floating-point operations, in the same order, as planlib.Model (numpy), so results agree to the
 * last bits except where numpy's library functions (power, pairwise sums) round differently.
 */
var PlanlibEval = (function () {
  "use strict";

  function num(x) { return x === null ? NaN : x; }

  /* An atom of a rule value in year position t: constant, parameter or indicator row. */
  function atom(a, rows, params, t) {
    var k = a[0];
    if (k === "c") return a[1];
    if (k === "p") return params[a[1]];
    if (k === "i") return rows[a[1]][a.length > 2 ? a[2] : t];
    throw new Error("unknown atom " + k);
  }

  /* A formula tree in year position t (self: the row being computed, for prev(self)). */
  function ev(n, rows, params, t, self) {
    switch (n[0]) {
      case "c": return n[1];
      case "i": return rows[n[1]][t];
      case "p": return params[n[1]];
      case "+": return ev(n[1], rows, params, t, self) + ev(n[2], rows, params, t, self);
      case "-": return ev(n[1], rows, params, t, self) - ev(n[2], rows, params, t, self);
      case "*": return ev(n[1], rows, params, t, self) * ev(n[2], rows, params, t, self);
      case "/": return ev(n[1], rows, params, t, self) / ev(n[2], rows, params, t, self);
      case "**": return Math.pow(ev(n[1], rows, params, t, self), ev(n[2], rows, params, t, self));
      case "neg": return -ev(n[1], rows, params, t, self);
      case "min":
      case "max": {
        var f = n[0] === "min" ? Math.min : Math.max, args = n[1];
        var out = ev(args[0], rows, params, t, self);
        for (var j = 1; j < args.length; j++) out = f(out, ev(args[j], rows, params, t, self));
        return out;
      }
      case "lag": {
        var r = n[1];
        if (r[0] === "self") return self[t - 1];
        if (r[0] === "i") return rows[r[1]][t - 1];
        if (r[0] === "p") return params[r[1]];
        throw new Error("unknown lag " + r[0]);
      }
      default: throw new Error("unknown formula node " + n[0]);
    }
  }

  function fillKnown(row, known, upto) {
    for (var t = 0; t < row.length; t++) row[t] = t < upto ? num(known[t]) : NaN;
  }

  /* One step (an indicator's rule) into row, a Float64Array of the model years. */
  function runStep(s, rows, params, Y) {
    var row = rows[s.row], t;
    switch (s.op) {
      case "known":
        fillKnown(row, s.known, Y);
        return;
      case "recur": {
        var k = s.k, first = s.first;
        fillKnown(row, s.known, Math.max(first, 0));
        for (t = first; t < Y; t++) {
          var v = atom(s.spec[t], rows, params, t);
          if (k === "growth") v = 1.0 + v / 100.0;
          if (t === 0) { row[0] = k === "level" ? v : NaN; continue; }
          var prev = row[t - 1];
          if (k === "growth") row[t] = prev * v;
          else if (k === "level") row[t] = v;
          else if (k === "hold") row[t] = prev;
          else row[t] = prev + v;
        }
        return;
      }
      case "path": {
        fillKnown(row, s.known, Math.max(s.begin, 0));
        var vals = s.points.map(function (p) { return atom(p, rows, params, 0); });
        for (t = s.begin; t < Y; t++) {
          var pl = s.plan[t - s.begin];
          if (pl[0] < 0) row[t] = vals[vals.length - 1];
          else row[t] = vals[pl[0]] * (1 - pl[1]) + vals[pl[0] + 1] * pl[1];
        }
        return;
      }
      case "lagformula":
        fillKnown(row, s.known, s.begin);
        for (t = s.begin; t < Y; t++) row[t] = ev(s.expr, rows, params, t, row);
        return;
      case "linked": {
        var after = s.after, f = s.f;
        fillKnown(row, s.known, after);
        if (f[0] === "formula") {
          for (t = after; t < Y; t++) row[t] = ev(f[1], rows, params, t, row);
        } else if (f[0] === "sum") {
          for (t = after; t < Y; t++) {
            var acc = 0;
            for (var j = 0; j < f[1].length; j++) acc = acc + rows[f[1][j][0]][t] * f[1][j][1];
            row[t] = acc;
          }
        } else if (f[0] === "ratio") {
          var a = rows[f[1]], b = rows[f[2]];
          for (t = after; t < Y; t++) row[t] = (a[t] / b[t]) * f[3];
        } else if (f[0] === "share") {
          var of = rows[f[1]];
          for (t = after; t < Y; t++) row[t] = ((of[t] * f[2]) * atom(f[3][t], rows, params, t)) / 100.0;
        } else if (f[0] === "cumulative") {
          var src = rows[f[1]], c = f[2], s0 = f[3], initial = f[4], run = 0;
          var cum = new Float64Array(Y);
          for (t = 0; t < Y; t++) {
            if (t < s0) { cum[t] = NaN; continue; }
            var x = src[t] * c;
            run = t === s0 ? x : run + x;
            cum[t] = initial + run;
          }
          for (t = after; t < Y; t++) row[t] = cum[t];
        } else {
          throw new Error("unknown linked rule " + f[0]);
        }
        return;
      }
      default:
        throw new Error("unknown step " + s.op);
    }
  }

  /* Trajectories of one parameter point: an array of Float64Array rows (indicator order). */
  function evaluate(doc, params) {
    var Y = doc.years.length, rows = [];
    for (var i = 0; i < doc.indicators.length; i++) rows.push(new Float64Array(Y));
    for (var k = 0; k < doc.steps.length; k++) runStep(doc.steps[k], rows, params, Y);
    return rows;
  }

  function cagr(start, end, years) {
    if (start > 0 && end >= 0 && years > 0) return Math.pow(end / start, 1.0 / years) - 1.0;
    return NaN;
  }

  /* Signed distance to failing, >= 0 exactly when met (planlib.targets.margin_of). */
  function margin(imp, op, value, tol) {
    if (op === ">=") return imp - (value - tol);
    if (op === "<=") return (value + tol) - imp;
    if (op === ">") return imp - (value + tol);
    if (op === "<") return (value - tol) - imp;
    return tol - Math.abs(imp - value);  /* "=" and "~" (左右) */
  }

  /* What the rows imply for one target (planlib.targets.implied_value). */
  function implied(ct, rows) {
    var series = rows[ct.row], end = series[ct.year], start = series[ct.start], t;
    if (ct.kind === "level") return end;
    if (ct.kind === "cumulative") {
      var sum = 0;
      for (t = ct.start; t <= ct.year; t++) sum += series[t];
      return sum;
    }
    var n = ct.year - ct.start;
    if (n <= 0) return NaN;
    if (ct.kind === "growth") return cagr(start, end, n) * 100.0;
    if (ct.kind === "reduction") return (1.0 - end / start) * 100.0;
    if (ct.kind === "relative_growth") {
      var ref = rows[ct.ref];
      return (cagr(start, end, n) - cagr(ref[ct.start], ref[ct.year], n)) * 100.0;
    }
    return end - start;  /* increment, pp_change */
  }

  /* Every target of one run, as planlib.targets.evaluate_targets (row 0). */
  function evaluateTargets(doc, rows) {
    var T = doc.targets.length, out = {
      implied: [], met: [], gap: [], start_value: [], end_value: [], implied_rate: [],
      required_rate: [], required_increment: [], required_per_year: []
    };
    for (var j = 0; j < T; j++) {
      var ct = doc.targets[j], series = rows[ct.row], end = series[ct.year], start = NaN;
      var imp = NaN, met = false, value = ct.value, kind = ct.kind;
      var rr = NaN, ri = NaN, rp = NaN, ir = NaN;
      if (ct.mode === "numeric") {
        imp = implied(ct, rows);
        met = margin(imp, ct.op, value, ct.tolerance) >= 0;
        start = series[ct.start];
        if (kind === "cumulative") rp = value / ct.years;
        else {
          ir = cagr(start, end, ct.years) * 100.0;
          if (kind === "level") {
            rr = cagr(start, value, ct.years) * 100.0;
            ri = ct.years > 0 ? (value - start) / ct.years : NaN;
          } else if (kind === "growth") rr = value;
          else if (kind === "reduction") rr = (Math.pow(1.0 - value / 100.0, 1.0 / ct.years) - 1.0) * 100.0;
          else if (kind === "relative_growth") {
            var ref = rows[ct.ref];
            rr = cagr(ref[ct.start], ref[ct.year], ct.years) * 100.0 + value;
          } else ri = value / ct.years;
        }
      }
      out.implied.push(imp); out.met.push(met); out.gap.push(imp - num(value));
      out.start_value.push(start); out.end_value.push(end); out.implied_rate.push(ir);
      out.required_rate.push(rr); out.required_increment.push(ri); out.required_per_year.push(rp);
    }
    return out;
  }

  /* Parameter values by name (missing: the default) → array in document order. */
  function paramArray(doc, values) {
    return doc.parameters.map(function (p) {
      var v = values && Object.prototype.hasOwnProperty.call(values, p.name) ? values[p.name] : p["default"];
      return Number(v);
    });
  }

  /* Many points at once (each an array in parameter order): plain arrays for the tests. */
  function evaluatePoints(doc, points) {
    var values = [], targets = [];
    for (var r = 0; r < points.length; r++) {
      var rows = evaluate(doc, points[r]);
      values.push(rows.map(function (row) { return Array.prototype.slice.call(row); }));
      targets.push(evaluateTargets(doc, rows));
    }
    return { values: values, targets: targets };
  }

  /* ---- numbers as planlib.formatting writes them ----------------------------------------- */

  /* Round |x| to d decimals from its exact binary value, ties to even (as Python's format). */
  function fixed(x, d) {
    var s = x.toFixed(Math.min(100, d + 80)), dot = s.indexOf(".");
    var intPart = s.slice(0, dot), frac = s.slice(dot + 1);
    var keep = frac.slice(0, d), rest = frac.slice(d);
    var up;
    if (rest[0] > "5") up = true;
    else if (rest[0] < "5") up = false;
    else if (/[1-9]/.test(rest.slice(1))) up = true;
    else {
      var last = d > 0 ? keep[d - 1] : intPart[intPart.length - 1];
      up = (Number(last) % 2) === 1;
    }
    var digits = intPart + keep;
    if (up) {
      var arr = digits.split(""), k = arr.length - 1;
      while (k >= 0) {
        if (arr[k] === "9") { arr[k] = "0"; k--; } else { arr[k] = String(Number(arr[k]) + 1); break; }
      }
      if (k < 0) arr.unshift("1");
      digits = arr.join("");
    }
    var ip = digits.slice(0, digits.length - d) || "0", fp = digits.slice(digits.length - d);
    return { ip: ip, fp: fp };
  }

  function fmtNumber(x, decimals) {
    if (x === null || x === undefined) return "\u2014";
    if (isNaN(x)) return "\u2014";
    if (!isFinite(x)) return x > 0 ? "\u221e" : "-\u221e";
    var neg = x < 0 || (x === 0 && 1 / x < 0);
    var parts = fixed(Math.abs(x), decimals);
    var ip = parts.ip.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var out = (neg ? "-" : "") + ip + (decimals > 0 ? "." + parts.fp : "");
    if (decimals === 0 && out.replace(/^[-0.,]+|[-0.,]+$/g, "") === "") return "0";
    return out.split("-0.00").join("0.00");
  }

  /* A level in its unit with the decimals Python decided (planlib.formatting.fmt_value). */
  function fmtValue(x, unit, d) {
    var s = fmtNumber(x, d);
    if (s === "\u2014" || !unit) return s;
    return s + unit;
  }

  /* A pace per year: pace = [decimals when whole, otherwise] (planlib.formatting.fmt_pace). */
  function fmtPace(x, unit, pace) {
    var whole = x !== null && isFinite(x) && Math.abs(x - roundHalfEven(x)) <= 1e-9;
    return fmtValue(x, unit, whole ? pace[0] : pace[1]);
  }

  function roundHalfEven(x) {
    var r = Math.round(x);
    if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
    return r;
  }

  function fmtRate(x, d) {
    var s = fmtNumber(x, d);
    return s === "\u2014" ? s : s + "%";
  }

  function signed(text, x) {
    if (isFinite(x) && x > 0 && /[1-9]/.test(text)) return "+" + text;
    return text;
  }

  var DASH = "\u2014";

  /* The cells of the targets table (as planlib.workbook.widgets.WhatIf.targets_frame): words
   * from doc.text, digits from each target's digits (both decided in Python). */
  function targetRows(doc, res) {
    var tx = doc.text;
    return doc.targets.map(function (ct, j) {
      var dg = ct.digits;
      var fmt = ct.kind === "growth" ? function (x) { return fmtRate(x, dg.figure); }
        : function (x) { return fmtValue(x, ct.unit, dg.figure); };
      var perYear = function (x, unit) { return tx.per_year[0] + fmtPace(x, unit, dg.pace) + tx.per_year[1]; };
      var stated = tx.op[ct.op] + " " + fmt(num(ct.value));
      var head = [ct.indicator_name, ct.span, ct.label, ct.attribute];
      if (ct.mode === "qualitative") return head.concat([ct.text || tx.qualitative, DASH, tx.qualitative, DASH, DASH]);
      if (ct.mode !== "numeric") return head.concat([stated, DASH, tx.listed, DASH, DASH]);
      var need;
      if (ct.need === "step") need = perYear(res.required_increment[j], ct.step_unit);
      else if (ct.need === "rate") need = fmtRate(res.required_rate[j], dg.rate);
      else if (ct.need === "none") need = DASH;
      else if (ct.need === "growth") need = fmt(ct.value);
      else if (ct.need === "per_year") need = perYear(res.required_per_year[j], ct.unit);
      else need = perYear(res.required_increment[j], ct.unit);
      var gap = res.gap[j];
      return head.concat([stated, fmt(res.implied[j]),
        res.met[j] ? tx.met : tx.missed, signed(fmt(gap), gap), need]);
    });
  }

  return {
    evaluate: evaluate, evaluateTargets: evaluateTargets, margin: margin, evaluatePoints: evaluatePoints,
    paramArray: paramArray, targetRows: targetRows, fmtNumber: fmtNumber, fmtValue: fmtValue, fmtPace: fmtPace,
    fmtRate: fmtRate, num: num
  };
})();
if (typeof module !== "undefined" && module.exports) module.exports = PlanlibEval;
