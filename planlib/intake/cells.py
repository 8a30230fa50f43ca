"""The cell grammar of a 主要指标表: what one cell of a plan's table says.

A planner writes far more than a number in a cell: ``〔4.8〕`` (a five-year
cumulative), ``>8``, ``5.5以内``, ``不低于87``, ``7左右``, ``翻一番``,
``保持在合理区间``, ``与经济增长同步``, ``高于地区生产总值增长``, ``预计120``,
``78.1*``. :func:`parse_cell` reads one cell into a :class:`Cell`; nothing is
dropped — a cell that says no number becomes ``kind="text"`` carrying its
original words, so the caller can keep it as a 定性 target.

Full-width digits and signs (``１２０``, ``＞``) and Chinese numerals
(``六左右``, ``百分之十``) are read too; Chinese numerals go through cn2an.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Cell", "normalise", "parse_cell", "parse_number", "split_name_unit"]

#: cells that mean "no entry"
_EMPTY = {"", "-", "—", "——", "–", "/", "／", "…", "--", "———", "无", "\\"}
_NUM = r"[+-]?\d+(?:\.\d+)?"
_CNUM_CHARS = "零〇一二两三四五六七八九十百千万点"
_CNUM = f"[{_CNUM_CHARS}]+"
# prefix words → operator (longest first so 不低于 wins over 低于)
_PREFIX_OPS = [
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("至少", ">="),
    ("大于等于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不大于", "<="),
    ("不多于", "<="),
    ("控制在", "<="),
    ("小于等于", "<="),
    ("高于", ">"),
    ("大于", ">"),
    ("超过", ">"),
    ("低于", "<"),
    ("小于", "<"),
    (">=", ">="),
    ("≥", ">="),
    ("≧", ">="),
    ("<=", "<="),
    ("≤", "<="),
    ("≦", "<="),
    (">", ">"),
    ("<", "<"),
    ("约", "~"),
    ("达到", None),
    ("力争", None),
    ("=", "="),
]
# suffix words → operator
_SUFFIX_OPS = [
    ("及以上", ">="),
    ("以上", ">="),
    ("以下", "<="),
    ("以内", "<="),
    ("左右", "~"),
    ("上下", "~"),
    ("内", "<="),
]
_CUM_BRACKETS = [("〔", "〕"), ("[", "]"), ("【", "】"), ("［", "］"), ("〖", "〗")]
_ESTIMATE = ("预计", "预估", "初步核算", "快报")
_QUALITATIVE_HINTS = (
    "合理区间",
    "稳中有",
    "视情",
    "基本稳定",
    "持续",
    "稳步",
    "明显",
    "显著",
    "保持",
    "逐步",
    "不断",
    "进一步",
    "完成",
    "确保",
    "实现",
    "国家下达",
    "省下达",
    "市下达",
    "下达",
)


@dataclass(frozen=True)
class Cell:
    """What one table cell says.

    Attributes
    ----------
    raw : str
        The cell text as found (stripped).
    kind : str
        ``empty`` (— or blank), ``number``, ``cumulative`` (〔x〕 five-year
        figure), ``double`` (翻一番: ``factor`` × base), ``sync`` (与…同步,
        ``reference`` names the other series), ``relative`` (高于/不低于 another
        series' growth, ``op`` and ``reference``) or ``text`` (no number: a
        qualitative statement).
    op : str or None
        ``>=``, ``<=``, ``>``, ``<``, ``=`` or ``~`` (左右); None when the cell
        states a bare number (the caller decides from the indicator's direction).
    value : float or None
        The stated number [the cell's unit].
    band : float or None
        Half-width of a range ``6-7`` [the cell's unit]; the value is its middle.
    decimals : int or None
        Decimals as written (``5.50`` → 2).
    factor : float or None
        Multiple of the base for ``double`` (翻一番 → 2, 翻两番 → 4).
    reference : str or None
        The other series named by ``sync``/``relative`` cells (``经济增长``).
    estimated : bool
        The figure is marked 预计 (estimated).
    starred : bool
        The figure carries ``*`` (a note under the table says which year it is).
    unit : str or None
        A unit written after the number in the cell (``60万吨``, ``5%``).
    """

    raw: str
    kind: str
    op: str | None = None
    value: float | None = None
    band: float | None = None
    decimals: int | None = None
    factor: float | None = None
    reference: str | None = None
    estimated: bool = False
    starred: bool = False
    unit: str | None = None
    notes: tuple = field(default=())

    @property
    def is_number(self) -> bool:
        """True for cells that state a figure (number or cumulative)."""
        return self.kind in ("number", "cumulative")


def normalise(text) -> str:
    """Cell text with full-width digits and signs made ASCII (NFKC), spaces removed.

    Chinese brackets 〔〕 are kept (NFKC leaves them); ``％`` becomes ``%`` and
    ``（`` becomes ``(``.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = s.replace("\u3000", "").replace("\xa0", "")
    return re.sub(r"\s+", "", s)


def _decimals(num: str) -> int:
    return len(num.split(".")[1]) if "." in num else 0


def _cn_to_number(text: str) -> str:
    """Arabic form of a Chinese numeral (``六`` → ``6``, ``五点五`` → ``5.5``)."""
    import cn2an  # noqa: PLC0415 - heavy (≈0.2 s); only when a Chinese numeral appears

    value = cn2an.cn2an(text, "smart")
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_number(text: str) -> tuple[float, int] | None:
    """Return the first number in ``text`` (Arabic, full-width or Chinese) and its decimals.

    Returns None when there is none. ``百分之十`` reads as 10.
    """
    s = normalise(text)
    m = re.search(_NUM, s)
    if m:
        return float(m.group()), _decimals(m.group())
    m = re.search(r"百分之(" + _CNUM + ")", s) or re.search(_CNUM, s)
    if m is None:
        return None
    chars = m.group(1) if m.re.groups else m.group()
    if chars in ("万", "千", "百", "十点") or set(chars) <= set("万千百点"):
        return None
    try:
        num = _cn_to_number(chars)
    except (ValueError, KeyError, TypeError):
        return None
    return float(num), _decimals(num)


def _strip_prefix(s: str) -> tuple[str | None, str]:
    for word, op in _PREFIX_OPS:
        if s.startswith(word):
            return op, s[len(word) :]
    return None, s


def _strip_suffix(s: str) -> tuple[str | None, str]:
    for word, op in _SUFFIX_OPS:
        if s.endswith(word):
            return op, s[: -len(word)]
    return None, s


def _number_cell(
    raw: str, s: str, estimated: bool, starred: bool, kind: str = "number"
) -> Cell | None:
    """Read ``s`` (already normalised, markers removed) as op + number + unit, or None."""
    op, rest = _strip_prefix(s)
    op2, rest = _strip_suffix(rest)
    if op2 is not None:
        op = op2 if op in (None, "~") or op2 == op else op
    rest = rest.strip("()")
    # a range: 6-7, 6~7, 6至7
    rng = re.fullmatch(rf"({_NUM})(?:-|~|～|至|到)({_NUM})(\S*)", rest)
    if rng:
        lo, hi = float(rng.group(1)), float(rng.group(2))
        if lo < hi:
            dec = max(_decimals(rng.group(1)), _decimals(rng.group(2)))
            return Cell(
                raw,
                kind,
                "~",
                (lo + hi) / 2,
                (hi - lo) / 2,
                dec + 1 if (lo + hi) % 2 else dec,
                estimated=estimated,
                starred=starred,
                unit=rng.group(3) or None,
            )
    m = re.fullmatch(rf"({_NUM})(\S*)", rest)
    if m:
        unit = m.group(2) or None
        if unit is not None and not _looks_like_unit(unit):
            return None
        return Cell(
            raw,
            kind,
            op,
            float(m.group(1)),
            None,
            _decimals(m.group(1)),
            estimated=estimated,
            starred=starred,
            unit=unit,
        )
    m = re.fullmatch(rf"(?:百分之)?({_CNUM})(\S*)", rest)
    if m and not set(m.group(1)) <= set("万千百点"):
        try:
            num = _cn_to_number(m.group(1))
        except (ValueError, KeyError, TypeError):
            return None
        unit = m.group(2) or ("%" if rest.startswith("百分之") else None)
        if unit is not None and not _looks_like_unit(unit):
            return None
        return Cell(
            raw,
            kind,
            op,
            float(num),
            None,
            _decimals(num),
            estimated=estimated,
            starred=starred,
            unit=unit,
        )
    return None


def _looks_like_unit(s: str) -> bool:
    """Return a short tail like ``%``, ``亿元``, ``万吨``, ``个百分点`` (not a sentence)."""
    return len(s) <= 6 and not any(
        w in s for w in ("增长", "同步", "高于", "低于", "区间", "，", ",")
    )


def parse_cell(text) -> Cell:
    """Read one table cell.

    Parameters
    ----------
    text : str or number or None
        The cell as found in the file.

    Returns
    -------
    Cell
        Never raises on odd content: what is not a figure is ``kind="text"``
        with the original words.

    Examples
    --------
    >>> parse_cell("〔4.8〕").kind, parse_cell("〔4.8〕").value
    ('cumulative', 4.8)
    >>> c = parse_cell("5.5以内"); c.op, c.value
    ('<=', 5.5)
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        dec = 0 if value == int(value) else _decimals(f"{value:.10g}")
        return Cell(str(text), "number", None, value, None, dec)
    raw = "" if text is None else str(text).strip()
    s = normalise(raw)
    if s in _EMPTY:
        return Cell(raw, "empty")
    estimated = False
    for word in _ESTIMATE:
        if word in s:
            s2 = s.replace(f"({word})", "").replace(word, "")
            if re.search(r"\d|[" + _CNUM_CHARS + "]", s2):
                estimated, s = True, s2
            break
    starred = False
    if s.endswith(("*", "※")) or s.startswith(("*", "※")):
        starred, s = True, s.strip("*※")
    # 〔x〕: five-year cumulative
    for left, right in _CUM_BRACKETS:
        m = re.fullmatch(rf"(.*?){re.escape(left)}(.+?){re.escape(right)}(.*)", s)
        if m:
            inner = m.group(1) + m.group(2) + m.group(3)
            cell = _number_cell(raw, inner, estimated, starred, kind="cumulative")
            if cell is not None:
                return cell
    m = re.search(r"翻(一|两|二|三|1|2|3)番", s)
    if m:
        times = {"一": 1, "1": 1, "两": 2, "二": 2, "2": 2, "三": 3, "3": 3}[m.group(1)]
        return Cell(raw, "double", ">=", None, factor=float(2**times), estimated=estimated)
    m = re.fullmatch(r"(?:与|和|同)(.+?)(?:增长|增速)?(基本)?(?:同步|相适应|相协调)(?:增长)?", s)
    if m:
        return Cell(raw, "sync", "~", 0.0, reference=m.group(1), estimated=estimated)
    m = re.fullmatch(r"(高于|快于|不低于|略高于|低于|慢于)(.+?)(?:增长|增速|增幅)?", s)
    if m and not re.fullmatch(_NUM + r"\S{0,6}", m.group(2)) and not re.search(r"\d", m.group(2)):
        op = {"高于": ">", "快于": ">", "略高于": ">", "不低于": ">=", "低于": "<", "慢于": "<"}[
            m.group(1)
        ]
        return Cell(raw, "relative", op, 0.0, reference=m.group(2), estimated=estimated)
    cell = _number_cell(raw, s, estimated, starred)
    if cell is not None:
        return cell
    return Cell(raw, "text", estimated=estimated, starred=starred)


_BRACKET_TAIL = re.compile(r"^(.*?)[(（]([^()（）]{1,12})[)）]\s*$")


def split_name_unit(name: str) -> tuple[str, str | None]:
    """Split ``地区生产总值（亿元）`` into ``("地区生产总值", "亿元")``.

    Only the last bracketed group counts (``执业（助理）医师数（人）`` keeps
    ``（助理）`` in the name); no bracket means no unit.
    """
    text = re.sub(r"\s+", "", str(name or "")).strip()
    text = re.sub(r"^[0-9０-９]+[.、．]\s*", "", text)  # 1. or 1、 numbering
    m = _BRACKET_TAIL.match(text)
    if not m:
        return text, None
    unit = unicodedata.normalize("NFKC", m.group(2)).strip()
    unit = {"%": "%", "％": "%", "‰": "‰"}.get(unit, unit)
    return m.group(1).strip(), unit
