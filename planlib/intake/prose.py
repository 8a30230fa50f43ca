"""Draft targets from a plan's prose: target sentences → indicators and targets, each quoting it.

Text as found on the web is normalised first: traditional → simplified
characters (OpenCC ``t2s``), pinyin glosses scraped into the text removed
(``社區(qū)`` → ``社区``), page furniture dropped (``时间:2024-03-07 …``,
``导语:``, ``篇2``), full-width digits made ASCII.

Then each sentence is cut into clauses; a clause is a target when it states a
number with one of the target patterns — 年均增长/增速 x%, 提高 x 个(百分)点,
累计 …, 达到/突破/实现/控制在/完成 … x 单位, 新增 …, 翻一番 — in a forward
looking context (力争, 计划, 到2025年, 期末, “十四五”期间 …, or a section
about the coming plan). Sections that review the past plan (“十三五”发展情况)
are skipped. A clause without a subject takes the indicator of the clause
before it (``2021年实现规上工业产值35亿元，“十四五”期间年均增速10%`` → the
growth of 规上工业产值). A first-year figure (``2021年实现…35亿元``) of an
indicator that also has a period-end target becomes its base, as a planner
would read it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .draft import (
    Draft,
    IndicatorDraft,
    ReportLine,
    TargetDraft,
    describe,
    guess_unit,
    indicator_id,
)
from .tables import IntakeError, read_text_file

__all__ = ["Statement", "clean_text", "draft_from_file", "draft_from_text", "find_statements"]

_NUM = r"\d+(?:\.\d+)?"
_UNITS = (
    "个百分点",
    "百分点",
    "平方公里",
    "万平方米",
    "平方米",
    "万吨标准煤",
    "吨标准煤",
    "亿元",
    "万元",
    "万人",
    "万户",
    "万吨",
    "公里",
    "公顷",
    "元",
    "个",
    "户",
    "家",
    "项",
    "人",
    "亩",
    "吨",
    "座",
    "所",
    "张",
    "套",
    "名",
    "次",
    "件",
    "岁",
    "年",
    "%",
    "‰",
)
_UNIT = "(?:" + "|".join(re.escape(u) for u in _UNITS) + ")"
_PINYIN = re.compile(r"[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňḿ]{1,7})[)）]")
_TONED = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňḿ")
_FURNITURE = re.compile(
    r"^(时间|發布時間|发布时间|来源|作者|导语|导读|阅读|点击|上一篇|下一篇|相关|版权|声明|"
    r"篇\d+|第\d+篇|本文|免责|责任编辑)[:：\s]?|^\s*\d{4}-\d{2}-\d{2}|范文\s*$"
)
_FUTURE = (
    "力争",
    "计划",
    "争取",
    "确保",
    "目标",
    "期末",
    "到“十",
    '到"十',
    "期间",
    "将",
    "预计",
    "努力",
    "实现",
    "达到",
    "突破",
    "以上",
    "每年",
)
_PLANS = {
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十二五": (2011, 2015),
}
_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+是|其中|同时|并|全力|努力|力争|争取|计划|确保|预计|到|在|"
    r"“?十[二三四五]五”?(?:期间|末|时期)?|\d{4}年(?:底|末)?|期末|期间|全年|每年|将|使|实现|完成|"
    r"我们|园区|全区|全县|全市|全镇|累计|新|要|年|末|内|时|底|,|，|、|的|“|”)+"
)
_TAIL = re.compile(r"(?:的|要|将|总量|总额|规模|数量|总数|水平)+$")


@dataclass
class Statement:
    """One quantified statement found in the text."""

    indicator: str
    kind: str
    op: str
    value: float
    decimals: int
    unit: str | None
    year: int | None
    line: int
    clause: str
    sentence: str
    first_year: bool = False


def clean_text(text: str) -> str:
    """Simplified characters, no pinyin glosses, no page furniture, ASCII digits."""
    import opencc  # noqa: PLC0415

    simp = opencc.OpenCC("t2s").convert(text)

    def _gloss(m):
        g = m.group(1)
        start = m.start()
        prev = simp[start - 1] if start > 0 else ""
        if set(g) & _TONED or ("\u4e00" <= prev <= "\u9fff" and len(g) >= 2):
            return ""
        return m.group(0)

    simp = _PINYIN.sub(_gloss, simp)
    lines = []
    for ln in simp.splitlines():
        s = ln.strip()
        if s and _FURNITURE.search(s):
            lines.append("")
            continue
        lines.append(unicodedata.normalize("NFKC", ln).replace("\u3000", " "))
    return "\n".join(lines)


def _plan_period(text: str, options: dict) -> tuple[int, int]:
    if options.get("period"):
        return tuple(int(x) for x in options["period"])
    counts = {k: text.count(k) for k in _PLANS}
    m = re.search(r"到(20\d{2})年", text)
    best = max(counts, key=counts.get)
    if counts[best] == 0 and m:
        end = int(m.group(1))
        return end - 4, end
    if counts["十四五"] and counts["十四五"] >= counts["十三五"]:
        return _PLANS["十四五"]
    if counts["十五五"]:
        return _PLANS["十五五"]
    return _PLANS[best] if counts[best] else (2021, 2025)


def _heading_is_past(line: str) -> bool | None:
    """True/False for a section heading about the past/future plan; None if not a heading."""
    s = line.strip()
    if (
        not re.match(r"^(第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+[、.])", s)
        or len(s) > 40
    ):
        return None
    if (
        any(w in s for w in ("十三五", "回顾", "情况", "成效", "基础", "成绩", "现状"))
        and "十四五" not in s
    ):
        return True
    return False


def _clean_name(raw: str) -> str:
    s = _LEAD.sub("", raw.strip())
    s = re.sub(r"^.*?(?:将|使|把)", "", s) if re.search(r"(将|使|把)", s[:4]) else s
    s = re.sub(r"(比|较|同)(19|20)\d{2}年.*$", "", s)
    s = _TAIL.sub("", s)
    s = s.strip("“”\"'() ,，、:：")
    return s


_PATTERNS = [
    # 年均增长/增速 10%
    (
        "growth",
        re.compile(
            rf"(?P<ind>.*?)(?:年均|年平均|平均每年)(?:增长|增速|增幅)(?:率)?(?:达到|保持在|为|在)?"
            rf"(?P<pre>不低于|不少于|超过)?(?P<num>{_NUM})%(?P<suf>以上|左右|以内)?"
        ),
    ),
    # 提高 30 个(百分)点
    (
        "pp_change",
        re.compile(
            rf"(?P<ind>.*?)(?:提高|提升|增加|上升)(?P<pre>不低于|超过)?(?P<num>{_NUM})个?"
            rf"(?:百分)?点(?P<suf>以上|左右)?"
        ),
    ),
    # 累计 … 30 个以上
    (
        "cumulative",
        re.compile(
            rf"(?P<lead>.*?)累计(?P<ind>.*?)(?:达到|完成|实现)?(?P<pre>不低于|不少于|超过)?"
            rf"(?P<num>{_NUM})(?P<unit>{_UNIT})(?P<suf>以上|左右)?$"
        ),
    ),
    # 新增 … 2 户 (a yearly pace when 每年)
    (
        "increment",
        re.compile(
            rf"(?P<lead>.*?)(?:新增|增加)(?P<ind>.*?)(?P<num>{_NUM})(?P<unit>{_UNIT})"
            rf"(?P<suf>以上|左右)?$"
        ),
    ),
    # 达到/突破/实现/控制在 … 50 亿元
    (
        "level",
        re.compile(
            rf"(?P<ind>.*?)(?P<verb>达到|突破|实现|超过|控制在|提高到|提升到|增加到|增至|达|完成|"
            rf"保持在|稳定在|不低于|不少于)(?P<pre>不低于|不少于)?(?P<num>{_NUM})(?P<unit>{_UNIT})"
            rf"(?P<suf>以上|以内|以下|左右)?"
        ),
    ),
    # 实现/完成 + name + number: 期末实现产值50亿元, 计划完成基础设施投资4亿元以上
    (
        "level",
        re.compile(
            rf"(?P<lead>.*?)(?P<verb>实现|完成|建成)(?P<ind>[^\d达]{{2,16}}?)(?P<pre>不低于|不少于)?"
            rf"(?P<num>{_NUM})(?P<unit>{_UNIT})(?P<suf>以上|以内|以下|左右)?"
        ),
    ),
    # 翻一番
    ("double", re.compile(r"(?P<ind>.*?)翻(?P<num>一|两)番")),
    # bare: 新引进项目 12 个 (only with an explicit year or 期末)
    (
        "bare",
        re.compile(
            rf"(?P<ind>[\u4e00-\u9fff“”]{{2,16}})(?P<num>{_NUM})(?P<unit>{_UNIT})(?P<suf>以上|左右)?$"
        ),
    ),
]
_FLOW = ("投资", "资金", "引进", "招商", "新增", "新建", "改造")


def _op(pre: str | None, suf: str | None, verb: str | None = None) -> str:
    if suf in ("以内", "以下") or verb == "控制在":
        return "<="
    if suf == "左右":
        return "~"
    return ">="


_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMBER = re.compile(
    rf"(?<![十二三四五])([{_CN_DIGITS}十百千]+(?:点[{_CN_DIGITS}]+)?)"
    r"(?=个?百分点|个点|%|亿元|万元|万人|万户|公里|平方公里|亩|户|家|项|个)"
)


def _arabic(clause: str) -> str:
    """Chinese numerals before a unit written as digits (提高五个百分点 → 提高5个百分点)."""
    if not _CN_NUMBER.search(clause):
        return clause
    from .cells import _cn_to_number  # noqa: PLC0415

    def repl(m):
        try:
            return _cn_to_number(m.group(1))
        except (ValueError, KeyError, TypeError):
            return m.group(1)

    return _CN_NUMBER.sub(repl, clause)


def find_statements(text: str, period: tuple[int, int]) -> list[Statement]:
    """Every quantified target statement in cleaned ``text`` (see :func:`clean_text`)."""
    out: list[Statement] = []
    past = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        head = _heading_is_past(line)
        if head is not None:
            past = head
        if past or not line.strip():
            continue
        for sentence in re.split(r"(?<=[。;；!！?？])", line):
            sentence = sentence.strip()
            if not re.search(r"\d", sentence):
                continue
            subject = None
            year_ctx = None
            for clause in re.split(r"[,，]", sentence):
                clause = _arabic(clause.strip().rstrip("。;；!！?？"))
                if not clause:
                    continue
                m_year = re.search(r"(?<![比较同])(?:到)?(20\d{2})年(?!\d)", clause)
                end_ctx = bool(
                    re.search(r"期末|十[三四五]五”?末|十[三四五]五”?期间|十[三四五]五”", clause)
                )
                if m_year and not re.search(r"20\d{2}年(?:以来|前|之前)", clause):
                    year_ctx = int(m_year.group(1))
                elif end_ctx:
                    year_ctx = period[1]
                clause_year = year_ctx
                future = any(w in sentence for w in _FUTURE) or year_ctx is not None
                if re.search(r"了|已经|已(?:达|完成|实现|建成)|以来|同比", clause):
                    continue  # a report of what happened, not a target
                for kind, rx in _PATTERNS:
                    m = rx.search(clause)
                    if not m:
                        continue
                    if kind == "bare" and not (m_year or end_ctx or "力争" in sentence):
                        break
                    if not future:
                        break
                    gd = m.groupdict()
                    name = _clean_name(gd.get("ind") or "")
                    if kind in ("cumulative", "increment") and not name:
                        name = _clean_name(gd.get("lead") or "")
                    pace = kind == "increment" and re.search(r"每年|年均", gd.get("lead") or clause)
                    if subject and (not name or subject.endswith(name) or name in ("产值", "总量")):
                        name = subject
                    if pace:
                        kind = "pace"  # 每年新增5个: a yearly pace (a rule's step), not a target
                    if not name or len(name) > 20:
                        break
                    num = gd["num"]
                    if kind == "double":
                        value, dec, unit = {"一": 2.0, "两": 4.0}[num], 0, None
                    else:
                        value, dec = float(num), len(num.split(".")[1]) if "." in num else 0
                        unit = gd.get("unit") or (
                            "%" if kind == "growth" else "百分点" if kind == "pp_change" else None
                        )
                    k = kind
                    if k in ("bare", "level") and any(w in name for w in _FLOW) and not m_year:
                        k = "cumulative"  # a flow over the plan period: 固定资产投资达到12亿元以上
                    elif k == "bare":
                        k = "level"
                    year = clause_year or period[1]
                    first = bool(m_year) and year < period[1]
                    out.append(
                        Statement(
                            name,
                            k,
                            _op(gd.get("pre"), gd.get("suf"), gd.get("verb")),
                            value,
                            dec,
                            unit,
                            year,
                            lineno,
                            clause,
                            sentence,
                            first,
                        )
                    )
                    subject = name
                    break
    return out


#: name fragments → category (first match wins; only categories the schema accepts are used)
_CATEGORY_HINTS = [
    ("比重", "产业结构"),
    ("占比", "产业结构"),
    ("招商", "招商引资"),
    ("引进", "招商引资"),
    ("到位资金", "招商引资"),
    ("投资", "投资建设"),
    ("城镇化", "城乡建设"),
    ("用地", "土地利用"),
    ("研发", "创新驱动"),
    ("专利", "创新驱动"),
    ("森林", "绿色生态"),
    ("能耗", "绿色生态"),
    ("排放", "绿色生态"),
    ("预算收入", "经济发展"),
    ("财政", "经济发展"),
    ("可支配收入", "民生福祉"),
    ("居民收入", "民生福祉"),
    ("就业", "民生福祉"),
    ("失业", "民生福祉"),
    ("养老", "社会保障"),
    ("医疗", "社会事业"),
    ("教育", "社会事业"),
    ("产值", "经济发展"),
    ("增加值", "经济发展"),
    ("生产总值", "经济发展"),
    ("税", "经济发展"),
    ("企业", "经济发展"),
]


def _category(name: str, allowed) -> str:
    """Return the category a prose indicator most likely belongs to (其他 when unsure)."""
    hit = next((c for frag, c in _CATEGORY_HINTS if frag in name and c in allowed), None)
    return hit or ("其他" if "其他" in allowed else allowed[-1])


def _key(name: str) -> str:
    """Return the indicator key for grouping statements: 新引进项目 ~ 累计引进项目 ~ 引进项目."""
    return re.sub(r"^(新|累计|期末|年|全年)+", "", name)


def draft_from_text(text: str, file: str, options: dict | None = None) -> Draft:
    """Return a :class:`Draft` of the target statements in ``text``.

    Parameters
    ----------
    text : str
        The plan's prose (any script; cleaned by :func:`clean_text`).
    file : str
        Name used in every ``source``.
    options : dict, optional
        ``period`` (first, last), ``base_year``, ``region``, ``level``.
    """
    opts = dict(options or {})
    clean = clean_text(text)
    period = _plan_period(clean, opts)
    base_year = opts.get("base_year") or period[0] - 1
    d = Draft(
        file,
        "text",
        {"base_year": int(base_year), "period": [int(period[0]), int(period[1])], "title": None},
    )
    statements = find_statements(clean, period)
    if not statements:
        raise IntakeError(
            f"{file}: no target sentences found (达到, 突破, 年均增长, 提高…个百分点, 累计, "
            "新增, 控制在, 翻一番, …以上); is this the plan's text?"
        )
    groups: dict[str, list[Statement]] = {}
    names: dict[str, str] = {}
    for st in statements:
        key = _key(st.indicator)
        match = next(
            (
                k
                for k in groups
                if k == key or (len(key) >= 2 and (k.endswith(key) or key.endswith(k)))
            ),
            None,
        )
        key = match or key
        groups.setdefault(key, []).append(st)
        names.setdefault(key, st.indicator)
    taken: set = set()
    from ..scenario import CATEGORIES  # noqa: PLC0415

    for n, (key, sts) in enumerate(groups.items(), start=1):
        name = names[key]
        unit = next(
            (s.unit for s in sts if s.kind in ("level", "cumulative", "increment") and s.unit), None
        )
        if unit is None:
            unit = "%" if any(s.kind == "pp_change" for s in sts) else (guess_unit(name) or "%")
        unit = {"个百分点": "百分点"}.get(unit, unit)
        ind = IndicatorDraft(
            indicator_id(name, taken, f"ind{n:02d}"),
            name,
            unit,
            _category(name, CATEGORIES),
            source=f"{file}:{sts[0].line}",
        )
        later = [s for s in sts if not s.first_year and s.kind != "pace"]
        seen = set()
        for st in sts:
            where = f"{file}:{st.line}"
            if st.kind == "pace":
                ind.notes.append(f"{st.clause}（{where}）")
                reading = f"{name}：每年 {st.value:g} {st.unit or unit}"
                d.lines.append(
                    ReportLine(
                        where,
                        st.clause,
                        reading,
                        "note",
                        "年度步伐，可作规则（increment）的参数，未作为目标",
                    )
                )
                continue
            if st.first_year and st.kind == "level" and later and ind.base is None:
                ind.base = {
                    "year": st.year,
                    "value": st.value,
                    "decimals": st.decimals,
                    "status": "预计",
                }
                d.lines.append(
                    ReportLine(
                        where,
                        st.clause,
                        f"基期 {st.year}年 = {st.value:g} {unit}（取首年目标）",
                        "guess",
                        "首年数字作为基期；如需作为目标请改写",
                    )
                )
                continue
            sig = (st.kind, st.year, st.value)
            if sig in seen:
                continue
            seen.add(sig)
            m_from = re.search(r"比(20\d{2})年", st.clause)
            anchor = ind.base["year"] if ind.base else base_year
            start = int(m_from.group(1)) if m_from else anchor
            if st.kind == "double" and st.year > start:
                # 翻一番 over n years is exactly an average growth of 2^(1/n) − 1
                rate = round((st.value ** (1 / (st.year - start)) - 1) * 100, 2)
                quote = f"{where} “{st.sentence}”"
                t = TargetDraft(
                    "growth", st.year, ">=", rate, quote, st.clause, decimals=2, from_year=start
                )
            elif st.kind == "double":
                t = TargetDraft(
                    "qualitative",
                    st.year,
                    None,
                    None,
                    f"{where} “{st.sentence}”",
                    st.clause,
                    text=st.clause,
                )
            else:
                from_year = (
                    None
                    if st.kind in ("level", "cumulative")
                    else (ind.base["year"] if ind.base else base_year)
                )
                t = TargetDraft(
                    st.kind,
                    st.year,
                    st.op,
                    st.value,
                    f"{where} “{st.sentence}”",
                    st.clause,
                    decimals=st.decimals,
                    from_year=from_year,
                )
            if st.kind == "cumulative" and st.year == period[1]:
                t.from_year = None
            ind.targets.append(t)
            d.lines.append(ReportLine(where, st.clause, f"{ind.id}（{name}）：{describe(t, unit)}"))
        if not ind.targets:
            d.lines.append(ReportLine(ind.source, name, "只有基期数字，没有目标", "skipped"))
            continue
        for t in ind.targets:  # a growth drafted before the base was known starts there
            if t.kind in ("growth", "pp_change", "increment") and ind.base:
                t.from_year = ind.base["year"]
        d.indicators.append(ind)
        d.table_rows += 1
    return d


def draft_from_file(path, options: dict | None = None, encoding: str | None = None) -> Draft:
    """Prose of a ``.txt``/``.md``, ``.docx`` or text-layer ``.pdf`` file → :class:`Draft`."""
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf import pdf_text  # noqa: PLC0415

        text = pdf_text(path)
    elif suffix == ".docx":
        from .tables import read_docx  # noqa: PLC0415

        read_docx(path)  # the same checks (corrupt, protected) as a table import
        import docx  # noqa: PLC0415

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    elif suffix in (".txt", ".md", ".text", ""):
        text = read_text_file(path, encoding)
    else:
        raise IntakeError(f"{path}: --text reads .txt, .md, .docx or .pdf, not {suffix}")
    return draft_from_text(text, path.name, options)
