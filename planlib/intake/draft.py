"""The draft of a plan read from a table or prose: indicators, targets, and where each came from.

A :class:`Draft` is the intermediate representation between a file and a
scenario: :func:`draft_from_table` fills it from a :class:`~planlib.intake.tables.Table`
row by row, :mod:`planlib.intake.prose` from sentences, and
:mod:`planlib.intake.emit` writes it as scenario YAML. Every target carries
the cell (``表1!E7``) or line it was read from and the report line that says
how it was read; a row or cell that cannot be read becomes a 定性
(qualitative) target carrying its text — nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import Cell, parse_cell, split_name_unit
from .tables import Table

__all__ = [
    "Draft",
    "IndicatorDraft",
    "ReportLine",
    "TargetDraft",
    "draft_from_table",
    "indicator_id",
    "guess_unit",
    "looks_like_category",
    "LOWER_IS_BETTER",
]

#: name fragments → indicator id (the ids planners see in audit output); first match wins
_IDS = [
    ("能源消耗", "energy_intensity"),
    ("能耗", "energy_intensity"),
    ("二氧化碳", "co2_intensity"),
    ("人均地区生产总值", "gdp_per_capita"),
    ("地区生产总值", "gdp"),
    ("国内生产总值", "gdp"),
    ("全员劳动生产率", "labour_productivity"),
    ("居民消费价格", "cpi"),
    ("户籍人口城镇化率", "hukou_urbanisation_rate"),
    ("城镇化率", "urbanisation_rate"),
    ("社会消费品零售总额", "retail_sales"),
    ("研究与试验发展经费", "rd_spending"),
    ("研发经费", "rd_spending"),
    ("发明专利", "patents"),
    ("数字经济", "digital_economy"),
    ("城镇居民人均可支配收入", "urban_income"),
    ("农村居民人均可支配收入", "rural_income"),
    ("人均可支配收入", "disposable_income"),
    ("城镇调查失业率", "unemployment_rate"),
    ("城镇登记失业率", "registered_unemployment"),
    ("受教育年限", "schooling_years"),
    ("医师", "doctors"),
    ("预期寿命", "life_expectancy"),
    ("托位", "childcare_places"),
    ("养老保险参保率", "pension_coverage"),
    ("养老", "elderly_care"),
    ("地表水", "surface_water"),
    ("空气质量优良", "good_air_days"),
    ("PM2.5", "pm25"),
    ("细颗粒物", "pm25"),
    ("森林覆盖率", "forest_cover"),
    ("森林蓄积", "forest_stock"),
    ("粮食", "grain_capacity"),
    ("能源综合生产能力", "energy_capacity"),
    ("耕地", "farmland"),
    ("固定资产投资", "fixed_asset_investment"),
    ("一般公共预算收入", "fiscal_revenue"),
    ("规模以上工业增加值", "industrial_value_added"),
    ("规上工业增加值", "industrial_value_added"),
    ("工业产值", "industrial_output"),
    ("税收", "tax"),
    ("常住人口", "population"),
    ("进出口", "trade"),
    ("外资", "fdi"),
    ("招商引资", "investment_attracted"),
    ("基础设施投资", "infrastructure_investment"),
    ("第三产业", "tertiary_share"),
    ("规上企业", "above_scale_enterprises"),
    ("规模以上企业", "above_scale_enterprises"),
    ("引进项目", "new_projects"),
    ("新引进项目", "new_projects"),
]

#: the usual unit of a level whose table row states only its growth [unit]
_LEVEL_UNITS = [
    ("能源消耗", "吨标准煤/万元"),
    ("能耗", "吨标准煤/万元"),
    ("二氧化碳", "吨/万元"),
    ("人均可支配收入", "元"),
    ("劳动生产率", "万元/人"),
    ("人均地区生产总值", "元"),
    ("生产总值", "亿元"),
    ("增加值", "亿元"),
    ("投资", "亿元"),
    ("零售总额", "亿元"),
    ("预算收入", "亿元"),
    ("经费", "亿元"),
    ("进出口", "亿元"),
    ("产值", "亿元"),
    ("税收", "亿元"),
]

#: indicators where lower is better (a bare number is a ceiling)
LOWER_IS_BETTER = (
    "失业率",
    "能耗",
    "能源消耗",
    "排放",
    "强度",
    "死亡率",
    "发生率",
    "浓度",
    "用水量",
    "负债率",
    "事故",
    "贫困",
    "降低",
    "下降",
)

_GDP_WORDS = ("经济", "经济增长", "GDP", "gdp", "生产总值", "地区生产总值", "国内生产总值")
_FLOW_WORDS = (
    "投资",
    "新增",
    "引进",
    "新建",
    "改造",
    "造林",
    "培训",
    "招商",
    "到位资金",
    "完成",
    "建设",
    "累计",
)


@dataclass
class TargetDraft:
    """One target as read: kind (vocabulary of the scenario file), op, value and its cell."""

    kind: str
    year: int
    op: str | None
    value: float | None
    source: str
    wording: str
    decimals: int | None = None
    band: float | None = None
    from_year: int | None = None
    reference: str | None = None
    text: str | None = None
    attribute: str | None = None


@dataclass
class IndicatorDraft:
    """One indicator row: name, unit, category, base and its targets."""

    id: str
    name_zh: str
    unit: str
    category: str
    attribute: str = "预期性"
    direction: str | None = None
    base: dict | None = None
    history: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)
    source: str = ""
    notes: list = field(default_factory=list)
    decimals: int | None = None


@dataclass
class ReportLine:
    """How one cell (or sentence) was read, for the import report."""

    where: str
    text: str
    reading: str
    level: str = "ok"  # ok | guess | qualitative | note | skipped
    message: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "where": self.where,
            "text": self.text,
            "reading": self.reading,
            "level": self.level,
            "message": self.message,
        }


@dataclass
class Draft:
    """A plan read from a file, before it becomes scenario YAML."""

    file: str
    mode: str  # table | text
    meta: dict
    indicators: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    tables: list = field(default_factory=list)  # listing of the tables found: (number, label, rows)
    notes: list = field(default_factory=list)
    table_rows: int = 0

    @property
    def targets(self) -> list:
        """Every target with its indicator: (IndicatorDraft, TargetDraft)."""
        return [(ind, t) for ind in self.indicators for t in ind.targets]

    def warn(
        self, where: str, text: str, message: str, level: str = "guess", reading: str = ""
    ) -> None:
        """Add a report line that says a guess was made."""
        self.lines.append(ReportLine(where, text, reading, level, message))


def indicator_id(name: str, taken: set, fallback: str) -> str:
    """Return an ASCII id for ``name`` (glossary, else ``fallback``), unique among ``taken``."""
    base = next((i for frag, i in _IDS if frag in name), fallback)
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def looks_like_category(name: str, unit: str | None = None) -> bool:
    """Return whether a row naming only ``name`` is a 类别 written as its own row (经济发展)."""
    return (
        not unit
        and any(k in name for k in ("类", "发展", "驱动", "福祉", "生态", "保障"))
        and len(name) <= 6
    )


def guess_unit(name: str) -> str | None:
    """Return the usual unit of a level named ``name`` when only its growth is stated."""
    return next((u for frag, u in _LEVEL_UNITS if frag in name), None)


def _direction(name: str) -> str | None:
    return "lower" if any(w in name for w in LOWER_IS_BETTER) else None


def _default_op(op: str | None, direction: str | None) -> str:
    if op is not None:
        return op
    return "<=" if direction == "lower" else ">="


_OP_ZH = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "~": "约", None: ""}


def describe(t: TargetDraft, unit: str) -> str:
    """Short Chinese reading of a target for the report (``年均增长 约7 %``)."""
    kind_zh = {
        "level": "水平",
        "growth": "年均增长",
        "cumulative": "累计",
        "increment": "累计增加",
        "pp_change": "提高(百分点)",
        "reduction": "累计降低",
        "relative_growth": "增速对比",
        "qualitative": "定性",
    }[t.kind]
    if t.kind == "qualitative":
        return f"{kind_zh} {t.year}年：{t.text}"
    if t.kind == "relative_growth":
        return f"{kind_zh} {t.year}年：{_OP_ZH[t.op]}{t.reference} 增速（差 {t.value:g} 百分点）"
    u = "%" if t.kind in ("growth", "reduction") else "百分点" if t.kind == "pp_change" else unit
    band = f"±{t.band:g}" if t.band else ""
    return f"{kind_zh} {t.year}年 {_OP_ZH[t.op]}{t.value:g}{band} {u}"


# ---- table → draft ------------------------------------------------------------------------
def _notes_meaning(notes: list[str]) -> dict:
    """Return what the notes under a table say: the year of * figures, 〔〕 = cumulative."""
    out = {"star_year": None, "cumulative": False}
    text = "".join(notes)
    m = re.search(r"(?:\*|※|带\*|加\*)[^。；;②③]*?((?:19|20)\d{2})年", text)
    if m:
        out["star_year"] = int(m.group(1))
    if re.search(r"〔\s*〕.{0,4}(累计|五年)", text):
        out["cumulative"] = True
    return out


def _rate_row(name: str, unit: str | None) -> tuple[str, str]:
    """Return (row kind, indicator name): ``rate`` (增长 %), ``reduction`` (降低 %) or ``level``."""
    if unit in ("%", None):
        m = re.fullmatch(r"(.+?)(?:年均)?(增长率|增长|增速|增幅|涨幅)", name)
        if m:
            return "rate", m.group(1)
        m = re.fullmatch(r"(.+?)(?:累计)?(降低率|降低|下降率|下降|减少)", name)
        if m:
            return "reduction", m.group(1)
    return "level", name


def draft_from_table(table: Table, file: str, options: dict | None = None) -> Draft:
    """Read one 主要指标表 into a :class:`Draft`.

    Parameters
    ----------
    table : Table
        From :func:`planlib.intake.tables.find_tables`.
    file : str
        File name used in every ``source``.
    options : dict, optional
        ``region``, ``level``, ``period`` (start, end), ``base_year``, ``categories``
        (the categories the scenario schema accepts).

    Returns
    -------
    Draft
    """
    from ..scenario import CATEGORIES  # noqa: PLC0415

    opts = dict(options or {})
    categories = tuple(opts.get("categories") or CATEGORIES)
    grid = table.grid
    d = Draft(file, "table", {})
    meaning = _notes_meaning(table.notes)
    d.notes = list(table.notes)
    for r, message in grid.remarks:  # what the reader did to a row (a PDF row joined over pages)
        if r in table.rows:
            d.lines.append(ReportLine(grid.row_address(r), "", "", "note", message))
    base_cols = sorted(table.columns_of("base"), key=lambda c: c.year or 0)
    # the plan period ends at the first target year (2025年); later ones (2035年 远景) lie after it
    target_col = min(table.columns_of("target"), key=lambda c: c.year or 9999, default=None)
    rate_col = table.column("rate")
    name_col, cat_col = table.column("name"), table.column("category")
    unit_col, attr_col = table.column("unit"), table.column("attribute")

    base_years = [c.year for c in base_cols if c.year]
    target_year = target_col.year if target_col and target_col.year else None
    period = opts.get("period")
    if period:
        target_year = target_year or int(period[1])
    base_year = opts.get("base_year") or (max(base_years) if base_years else None)
    if target_year is None:
        target_year = (base_year + 5) if base_year else None
    if target_year is None:
        raise_where = grid.address(table.header_row, 0)
        from .tables import IntakeError  # noqa: PLC0415

        raise IntakeError(
            f"{file} {raise_where}: the header names no target year (2025年) and no "
            "--period was given; add the year to the header or pass --period 2021-2025"
        )
    if base_year is None:
        base_year = target_year - 5
        d.warn(
            grid.address(table.header_row, 0),
            "",
            f"表头没有基期年，按目标年前五年 {base_year} 年（--base-year 可改）",
        )
    if not period:
        period = (base_year + 1, target_year)
    d.meta = {
        "base_year": int(base_year),
        "period": [int(period[0]), int(period[1])],
        "title": table.title,
    }
    taken: set = set()
    category = None
    for r in table.rows:
        row_addr = grid.row_address(r)
        raw_name = grid.value(r, name_col.index) if name_col else None
        name, unit = split_name_unit(raw_name or "")
        if cat_col is not None and grid.text(r, cat_col.index):
            category = str(grid.value(r, cat_col.index)).strip()
            category = re.sub(r"\s+", "", category)
        others = [
            c
            for c in table.columns
            if c.index != (name_col.index if name_col else -1)
            and c.role in ("base", "target", "rate")
            and grid.text(r, c.index)
        ]
        if not name:
            if not others:
                continue  # a blank or a category-only line
            d.warn(row_addr, "", "这一行没有指标名称，未导入；请补上名称", level="skipped")
            continue
        if (
            name
            and not others
            and (cat_col is None or not grid.text(r, cat_col.index))
            and not grid.text(r, attr_col.index if attr_col else -1)
            and len(table.rows) > 1
            and looks_like_category(name, unit)
        ):
            category = name  # a category written as its own row
            continue
        d.table_rows += 1
        name_addr = grid.address(r, name_col.index)
        if unit_col is not None and grid.text(r, unit_col.index):
            unit = str(grid.value(r, unit_col.index)).strip()
        row_kind, ind_name = _rate_row(name, unit)
        direction = _direction(name)
        if row_kind == "level" and unit is None:
            unit = guess_unit(name) or "%"
            d.warn(name_addr, name, f"单位未写明，按 {unit} 处理（请核对）")
        ind_unit = unit
        if row_kind in ("rate", "reduction"):
            guess = guess_unit(ind_name)
            if guess is None and row_kind == "rate":
                row_kind, ind_name, ind_unit = "level", name, unit or "%"
            else:
                ind_unit = guess or "%"
                if guess is None:
                    d.warn(name_addr, name, "降低率所指强度指标的单位未知，按 % 记")
        cat = category or "其他"
        if cat not in categories:
            d.warn(
                grid.address(r, cat_col.index) if cat_col else row_addr,
                cat,
                f"类别“{cat}”不在情景文件的类别表中，记为“其他”",
            )
            cat = "其他"
        attr_text = grid.text(r, attr_col.index) if attr_col else ""
        attribute = "约束性" if "约束" in attr_text else "预期性"
        if "约束" not in attr_text and "预期" not in attr_text:
            d.warn(
                grid.address(r, attr_col.index) if attr_col else name_addr,
                attr_text,
                "属性未写明，按预期性处理",
            )
        ind = IndicatorDraft(
            indicator_id(ind_name, taken, f"ind{d.table_rows:02d}"),
            ind_name,
            ind_unit,
            cat,
            attribute,
            direction,
            source=f"{file} {name_addr}",
        )
        d.lines.append(
            ReportLine(
                name_addr,
                str(raw_name),
                f"指标 {ind.id}：{ind_name}（{ind_unit}）"
                + (
                    "，增速行"
                    if row_kind == "rate"
                    else "，降低率行"
                    if row_kind == "reduction"
                    else ""
                ),
                "ok",
            )
        )
        # base columns
        for col in base_cols:
            addr = grid.address(r, col.index)
            cell = parse_cell(grid.value(r, col.index))
            if cell.kind == "empty":
                continue
            year = col.year or base_year
            if cell.kind == "number" and row_kind == "level":
                entry = {"year": int(year), "value": cell.value, "decimals": cell.decimals}
                if cell.estimated or col.estimated:
                    entry["status"] = "预计"
                if cell.starred:
                    if meaning["star_year"]:
                        entry["data_year"] = meaning["star_year"]
                    else:
                        d.warn(addr, cell.raw, "带*但表下注未说明年份")
                if cell.op not in (None, "="):
                    ind.notes.append(f"{year}年 {cell.raw}")
                if ind.base is not None:
                    ind.history[ind.base["year"]] = ind.base["value"]
                ind.base = entry
                ind.source += f"；{year}年 {addr}"
                d.lines.append(
                    ReportLine(
                        addr,
                        cell.raw,
                        f"基期 {year}年 = {cell.value:g} {ind_unit}"
                        + ("（预计）" if "status" in entry else "")
                        + (f"（{entry['data_year']}年数据）" if "data_year" in entry else ""),
                    )
                )
            else:
                ind.notes.append(f"{year}年：{cell.raw}（{addr}）")
                d.lines.append(
                    ReportLine(
                        addr,
                        cell.raw,
                        f"{year}年 {cell.raw} 记入指标说明",
                        "note",
                        "增速行的基期数不是水平值，保留在 source 里"
                        if row_kind == "rate"
                        else "不是数值，保留在 source 里",
                    )
                )
        # target and rate columns
        for col in [*table.columns_of("target"), rate_col]:
            if col is None:
                continue
            addr = grid.address(r, col.index)
            cell = parse_cell(grid.value(r, col.index))
            if cell.kind == "empty":
                continue
            t = _read_target(
                cell,
                col.role,
                row_kind,
                ind,
                int(col.year if col.role == "target" and col.year else target_year),
                int(base_year),
                meaning,
                f"{file} {addr}",
                d,
                addr,
            )
            if t is not None:
                ind.targets.append(t)
                d.lines.append(
                    ReportLine(
                        addr,
                        cell.raw,
                        describe(t, ind.unit),
                        "qualitative" if t.kind == "qualitative" else "ok",
                        "保留原文，作为定性目标" if t.kind == "qualitative" else "",
                    )
                )
        for col in table.columns:  # 备注 and other columns: kept in the indicator's source
            if col.role != "other" or not grid.text(r, col.index):
                continue
            addr = grid.address(r, col.index)
            raw = str(grid.value(r, col.index)).strip()
            ind.notes.append(f"{col.header or '备注'}：{raw}（{addr}）")
            d.lines.append(
                ReportLine(
                    addr,
                    raw,
                    f"{col.header or '备注'} 记入指标说明",
                    "note",
                    "不是基期或目标列，保留在 source 里",
                )
            )
        if not ind.targets and ind.base is None:
            t = TargetDraft(
                "qualitative",
                int(target_year),
                None,
                None,
                f"{file} {name_addr}",
                name,
                text=name + "（表中未给出数值）",
            )
            ind.targets.append(t)
            d.warn(
                name_addr,
                name,
                "这一行没有可读的数值，作为定性目标保留",
                level="qualitative",
                reading=describe(t, ind.unit),
            )
        # print as written: the most decimals among the row's stated levels (300 → 0, 55.2 → 1)
        written = [ind.base.get("decimals")] if ind.base else []
        written += [t.decimals for t in ind.targets if t.kind == "level" and t.wording != "翻一番"]
        written = [w for w in written if w is not None]
        ind.decimals = max(written) if written else None
        d.indicators.append(ind)
    _resolve_references(d)
    return d


def _read_target(
    cell: Cell,
    role: str,
    row_kind: str,
    ind: IndicatorDraft,
    year: int,
    base_year: int,
    meaning: dict,
    source: str,
    d: Draft,
    addr: str,
) -> TargetDraft | None:
    """One target from a target- or rate-column cell."""
    from_year = ind.base["year"] if ind.base else base_year
    common = {"year": year, "source": source, "wording": cell.raw}
    if cell.unit and cell.unit not in (ind.unit, "%", "个百分点", "百分点"):
        d.warn(
            addr, cell.raw, f"单元格里的单位 {cell.unit} 与指标单位 {ind.unit} 不同，按指标单位读"
        )
    if cell.kind == "text":
        return TargetDraft("qualitative", op=None, value=None, text=cell.raw, **common)
    if cell.kind in ("sync", "relative"):
        band = 0.5 if cell.op == "~" else None
        return TargetDraft(
            "relative_growth",
            op=cell.op,
            value=0.0,
            band=band,
            from_year=from_year,
            reference=cell.reference,
            **common,
        )
    if cell.kind == "double":
        if ind.base is None:
            d.warn(
                addr, cell.raw, "翻番需要基期值；没有基期，作为定性目标保留", level="qualitative"
            )
            return TargetDraft("qualitative", op=None, value=None, text=cell.raw, **common)
        value = round(ind.base["value"] * cell.factor, 10)
        return TargetDraft(
            "level", op=">=", value=value, decimals=ind.base.get("decimals"), **common
        )
    op = cell.op
    band = cell.band
    # op "~" without a range keeps band None: the vocabulary's default band applies
    if row_kind == "reduction":
        return TargetDraft(
            "reduction",
            op=op or ">=",
            value=cell.value,
            decimals=cell.decimals,
            band=band,
            from_year=from_year,
            **common,
        )
    if row_kind == "rate":
        if cell.kind == "cumulative":
            d.warn(addr, cell.raw, "增速行里的〔〕按五年累计增长读（请核对）")
            return TargetDraft(
                "cumulative",
                op=op or ">=",
                value=cell.value,
                decimals=cell.decimals,
                from_year=from_year,
                **common,
            )
        return TargetDraft(
            "growth",
            op=op or ">=",
            value=cell.value,
            decimals=cell.decimals,
            band=band,
            from_year=from_year,
            **common,
        )
    # a level row
    if cell.kind == "cumulative" or (
        role == "rate" and meaning["cumulative"] and cell.kind == "cumulative"
    ):
        if ind.unit in ("%", "‰"):
            kind = "pp_change"
        elif any(w in ind.name_zh for w in _FLOW_WORDS):
            kind = "cumulative"
        else:
            kind = "increment"
        return TargetDraft(
            kind,
            op=op or (">=" if ind.direction != "lower" else "<="),
            value=cell.value,
            decimals=cell.decimals,
            band=band,
            from_year=None if kind == "cumulative" else from_year,
            **common,
        )
    if role == "rate":
        return TargetDraft(
            "growth",
            op=op or ">=",
            value=cell.value,
            decimals=cell.decimals,
            band=band,
            from_year=from_year,
            **common,
        )
    return TargetDraft(
        "level",
        op=_default_op(op, ind.direction),
        value=cell.value,
        decimals=cell.decimals,
        band=band,
        **common,
    )


def _resolve_references(d: Draft) -> None:
    """Turn 与经济增长同步 / 高于地区生产总值增长 into the id of the indicator they name."""
    for ind, t in d.targets:
        if t.kind != "relative_growth":
            continue
        ref = t.reference or ""
        found = None
        words = _GDP_WORDS if any(w in ref for w in _GDP_WORDS) else (ref,)
        for other in d.indicators:
            if other is ind:
                continue
            if any(w in other.name_zh for w in words if len(w) > 1) or ref == other.name_zh:
                if "人均" in other.name_zh and "人均" not in ref:
                    continue
                found = other
                break
        if found is None:
            t.kind, t.text, t.op, t.value, t.band, t.from_year = (
                "qualitative",
                t.wording,
                None,
                None,
                None,
                None,
            )
            d.warn(
                t.source.split(" ")[-1],
                t.wording,
                f"表中没有“{ref}”这一行，作为定性目标保留",
                level="qualitative",
            )
        else:
            t.reference = found.id
