"""What a reader sees of a review: tables, the text report and one sentence per target.

The traffic-light table (:func:`progress_frame`, as HTML :func:`progress_html`), the
完成情况表 of a final review (:func:`completion_frame`), the plain-text report
(:func:`text_report`), the target as the plan states it (``_stated``) and the
one-sentence message of each target (``_message``). No emoji: the traffic light is a
colour word in text and a coloured badge in HTML.
"""

from __future__ import annotations

import numpy as np

from ..formatting import fmt_average, fmt_number, fmt_pp, fmt_rate, fmt_value
from .review_progress import CLASS_EN, CLASS_ZH, COLORS, LIGHTS, LIGHTS_EN

__all__ = ["completion_frame", "progress_frame", "progress_html", "text_report"]


def _text_table(df, max_colwidth: int) -> str:
    """Render a frame as aligned plain text for the terminal (Chinese counts double width)."""
    import pandas as pd

    with pd.option_context(
        "display.unicode.east_asian_width", True,
        "display.width", 250,
        "display.max_columns", 50,
        "display.max_colwidth", max_colwidth,
    ):  # fmt: skip
        return df.to_string(index=False)


def progress_frame(review, lang: str | None = None):
    """Return the traffic-light review table (the body of :meth:`Review.to_frame`)."""
    import pandas as pd

    zh = (lang or review.lang) == "zh"
    recs = []
    for r in review.rows:
        pace = (
            (lambda x: fmt_rate(x))
            if r["method"] == "compound"
            else (
                lambda x, u=r["pace_unit"]: (
                    fmt_average(x, u.removesuffix("/年")) + ("/年" if zh else "/yr")
                    if np.isfinite(x)
                    else "—"
                )
            )
        )
        target_txt = r["wording"] if (zh and r["wording"]) else _stated(r, zh)
        latest = (
            fmt_value(r["latest_value"], r["indicator_unit"], decimals=r.get("decimals"))
            + f"（{r['latest_year']}）"
            if r["latest_year"] is not None
            else "—"
        )
        if r["method"] == "sum" and r["latest_year"] is not None:
            latest = (
                f"{'累计' if zh else 'sum '}"
                f"{fmt_value(r['so_far'], r['indicator_unit'], decimals=r.get('decimals'))}（"
                f"{r['latest_year']}）"
            )
        if r.get("status") in ("预计", "估算") and r["latest_year"] is not None:
            latest += (
                f"（{r['status']}）"
                if zh
                else f" ({'expected' if r['status'] == '预计' else 'estimate'})"
            )
        vals = [
            (LIGHTS if zh else LIGHTS_EN)[r["class"]],
            r["class_zh"] if zh else CLASS_EN[r["class"]],
            r["name"] if zh else (r["name_en"] or r["indicator"]),
            target_txt,
            (
                f"{r['start_year']}{'年起' if zh else '–'}"
                if r["method"] == "sum"
                else fmt_value(r["start_value"], r["indicator_unit"], decimals=r.get("decimals"))
                + f"（{r['start_year']}）"
            ),
            latest,
            pace(r["observed_pace"]),
            pace(r["required_pace"]),
            fmt_number(r["ratio"]),
            pace(r["remaining_pace"]),
            fmt_value(r["projected_end"], r["indicator_unit"], decimals=r.get("decimals")),
            fmt_number(r["anticipated"], 0) + "%" if np.isfinite(r["anticipated"]) else "—",
            str(r["first_met"]) if r["first_met"] is not None else "—",
            r["attribute"] if zh else {"预期性": "indicative", "约束性": "binding"}[r["attribute"]],
        ]
        recs.append(vals)
    cols = (
        [
            "信号",
            "评估",
            "指标",
            "目标",
            "起点",
            "最新实绩",
            "实际年均",
            "要求年均",
            "进度比",
            "剩余年份需",
            "趋势外推期末",
            "预期完成度",
            "首次达标年",
            "属性",
        ]
        if zh
        else [
            "light",
            "class",
            "indicator",
            "target",
            "start",
            "latest",
            "observed_pace",
            "required_pace",
            "ratio",
            "remaining_pace",
            "trend_end",
            "anticipated",
            "first_met",
            "attribute",
        ]
    )
    return pd.DataFrame(recs, columns=cols)


def progress_html(review, lang: str | None = None, columns: list[str] | None = None) -> str:
    """Return the review table as HTML (the body of :meth:`Review.to_html`)."""
    import html as _html

    df = review.to_frame(lang)
    light = df.columns[0]
    if columns is not None:
        df = df[[light] + [c for c in columns if c != light]]
    head = "".join(f"<th>{_html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for r, rec in zip(review.rows, df.itertuples(index=False), strict=True):
        colour = COLORS[r["class"]]
        text = "#ffffff" if r["class"] in ("achieved", "moving_away") else "#222222"
        badge = (
            f'<span class="planlib-light" style="display:inline-block;min-width:2.5em;'
            f"text-align:center;border-radius:3px;padding:1px 4px;background:#{colour};"
            f'color:{text}">{_html.escape(str(rec[0]))}</span>'
        )
        cells = [badge] + [_html.escape(str(v)) for v in rec[1:]]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table class="planlib-review-table" style="border-collapse:collapse;font-size:13px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def completion_frame(review, lang: str | None = None):
    """Return the 完成情况表 of a final review (the body of :meth:`Review.completion_frame`)."""
    import pandas as pd

    zh = (lang or review.lang) == "zh"
    recs = []
    for r in review.final_rows():
        d = r.get("final_decimals", 2)
        unit = r.get("gap_unit") or ""
        if r["kind"] in ("growth", "reduction"):
            # a cumulative reduction is a percentage of the base (降低16.67%), not 百分点
            achieved = fmt_rate(r.get("final_value", float("nan")))
        elif unit == "百分点":
            x = r.get("final_value", float("nan"))
            achieved = fmt_number(x, d) + ("个百分点" if zh else " pp") if np.isfinite(x) else "—"
        else:
            # the indicator's own precision: 3.3 doctors per 1,000 is not "3人"
            achieved = (
                fmt_value(r.get("final_value", float("nan")), unit, decimals=r.get("decimals"))
                if unit
                else "—"
            )
        gap = r.get("gap", float("nan"))
        recs.append(
            [
                r.get("category", ""),
                r["name"] if zh else (r["name_en"] or r["indicator"]),
                r["attribute"]
                if zh
                else {"预期性": "indicative", "约束性": "binding"}[r["attribute"]],
                r["wording"] if (zh and r["wording"]) else _stated(r, zh),
                r["year"],
                achieved,
                fmt_number(r.get("completion"), 1) + "%"
                if np.isfinite(r.get("completion", np.nan))
                else "—",
                (f"{gap:+.{d}f}" if np.isfinite(gap) else "—"),
                r.get("outcome_text") or "",
            ]
        )
    cols = (
        ["类别", "指标", "属性", "目标", "目标年", "实绩", "完成率", "差距", "完成情况"]
        if zh
        else [
            "category",
            "indicator",
            "attribute",
            "target",
            "year",
            "achieved",
            "completion",
            "gap",
            "outcome",
        ]
    )
    return pd.DataFrame(recs, columns=cols)


def text_report(review, lang: str | None = None) -> str:
    """Return the plain-text report (the body of :meth:`Review.to_text`)."""
    zh = (lang or review.lang) == "zh"
    if review.final:
        body = _text_table(review.completion_frame(lang), max_colwidth=40)
        missed = review.binding_missed()
        head = (
            f"终期评估（完成情况）：{review.name}（实绩截至{review.as_of}年）"
            if zh
            else f"Final review (completion): {review.name} (actuals to {review.as_of})"
        )
        lines = [head]
        if missed:
            names = "、".join(r["name"] if zh else (r["name_en"] or r["indicator"]) for r in missed)
            lines.append(
                f"约束性指标未完成：{names}" if zh else f"binding targets not completed: {names}"
            )
        lines += ["", body, "", review.summary(lang), ""]
        lines += [
            f"- {r['id']}: {r.get('outcome_text') or ''}；{r['message']}"
            if zh
            else f"- {r['id']}: {r.get('outcome_text') or ''}; {r['message']}"
            for r in review.final_rows()
        ]
        return "\n".join(lines) + "\n"
    body = _text_table(review.to_frame(lang).drop(columns=["信号" if zh else "light"]), 30)
    counts = review.counts()
    summary = (
        "，".join(f"{CLASS_ZH[k]} {v}" for k, v in counts.items() if v)
        if zh
        else ", ".join(f"{CLASS_EN[k]} {v}" for k, v in counts.items() if v)
    )
    t = review.thresholds
    head = (
        f"规划评估：{review.name}（实绩截至{review.as_of}年）\n"
        f"进度比阈值：进展顺利 ≥ {t.on_track:g}，需加快 ≥ "
        f"{t.acceleration:g}，进展有限 ≥ {t.limited:g}"
        if zh
        else f"Plan review: {review.name} (actuals to {review.as_of})\n"
        f"ratio thresholds: on track >= {t.on_track:g}, needs acceleration >= "
        f"{t.acceleration:g}, "
        f"limited >= {t.limited:g}"
    )
    lines = [head, "", body, "", summary, ""]
    lines += [f"- {r['id']}: {r['message']}" for r in review.rows]
    return "\n".join(lines) + "\n"


def _stated(r, zh):
    if r["kind"] in ("reduction", "relative_growth", "qualitative") or r["op"] in (">", "<", "~"):
        from ..formatting import stated_text

        return stated_text({**r, "wording": None}, zh)
    op = {">=": "≥", "<=": "≤", "=": "="}[r["op"]]
    u = r["indicator_unit"]
    if r["kind"] == "growth":
        return f"{'年均增长' if zh else 'growth '}{op}{fmt_rate(r['target'])}"
    if r["kind"] == "pp_change":
        return f"{'提高' if zh else '+'}{op}{fmt_number(r['target'])}{'个百分点' if zh else ' pp'}"
    if r["kind"] == "cumulative":
        return (
            f"{'累计' if zh else 'cumulative '}{op}"
            f"{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
        )
    if r["kind"] == "increment":
        return f"{'增加' if zh else '+'}{op}{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
    return (
        f"{r['year']}{'年' if zh else ': '}{op}"
        f"{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
    )


def _message(r: dict, zh: bool) -> str:
    """One sentence per target."""
    u = r["indicator_unit"]

    def fv(x, unit=u):
        return fmt_value(x, unit, decimals=r.get("decimals") if unit == u else None)

    cls = CLASS_ZH[r["class"]] if zh else CLASS_EN[r["class"]]
    if r["kind"] == "qualitative":
        latest = (
            f"；{r['latest_year']}年实绩 {fv(r['latest_value'])}"
            if r["latest_year"] is not None
            else ""
        )
        return (
            f"{cls}：{r['text']}{latest}（{r['note']}）"
            if zh
            else f"{cls}: {r['text']}{latest} ({r['note']})"
        )
    if r["kind"] == "relative_growth":
        return f"{cls}：{r['note']}" if zh else f"{cls}: {r['note']}"
    if r["method"] == "compound":

        def pace(x):
            return fmt_rate(x)
    else:

        def pace(x, pu=r["pace_unit"]):
            return (
                (fmt_average(x, pu.removesuffix("/年")) + ("/年" if zh else "/yr"))
                if np.isfinite(x)
                else "—"
            )

    cls = CLASS_ZH[r["class"]] if zh else CLASS_EN[r["class"]]
    if r["latest_year"] is None:
        return f"{cls}：{r['note']}" if zh else f"{cls}: {r['note']}"
    now = fv(r["so_far"]) if r["method"] == "sum" else fv(r["latest_value"])
    goal = fv(r["target_level"])
    if zh:
        s = (
            f"{cls}：{r['latest_year']}年{'累计' if r['method'] == 'sum' else '实绩'}{now}，"
            f"目标{'累计' if r['method'] == 'sum' else ''}{goal}（{r['year']}年）；"
            f"实际年均{pace(r['observed_pace'])}，要求{pace(r['required_pace'])}，进度比{fmt_number(r['ratio'])}"
        )
        if r["achieved"]:
            s += f"；{r['first_met']}年首次达标" if r["first_met"] is not None else "；已达标"
        elif np.isfinite(r["remaining_pace"]):
            need = ("年均" if r["method"] == "compound" else "") + pace(r["remaining_pace"])
            s += f"；剩余{r['year'] - r['latest_year']}年需{need}"
        elif r["overdue"]:
            gap = abs(
                r["target_level"] - (r["so_far"] if r["method"] == "sum" else r["latest_value"])
            )
            s += (
                "；期末未完成，差"
                f"{fmt_pp(gap, zh, r.get('decimals') or 2) if u in ('%', '‰') else fv(gap)}"
            )
        if not r["achieved"] and r["latest_year"] < r["year"]:
            s += f"；按趋势{r['year']}年约{fv(r['projected_end'])}"
        if r["note"]:
            s += f"（{r['note']}）"
        return s
    s = (
        f"{cls}: {now} in {r['latest_year']}, target {goal} by {r['year']}; observed "
        f"{pace(r['observed_pace'])}, required {pace(r['required_pace'])}, ratio "
        f"{fmt_number(r['ratio'])}"
    )
    if r["achieved"]:
        s += f"; first met in {r['first_met']}" if r["first_met"] is not None else "; met"
    elif np.isfinite(r["remaining_pace"]):
        s += (
            f"; the remaining {r['year'] - r['latest_year']} years need {pace(r['remaining_pace'])}"
        )
    if r["note"]:
        s += f" ({r['note']})"
    return s
