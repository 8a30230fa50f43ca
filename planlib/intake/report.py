"""The import report: how each cell or sentence was read, and where a guess was made."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .draft import Draft

__all__ = ["ImportReport"]

_LEVEL_ZH = {
    "ok": "",
    "guess": "需核对",
    "qualitative": "定性",
    "note": "说明",
    "skipped": "未导入",
}


@dataclass
class ImportReport:
    """What ``planlib import`` read from one file.

    Attributes
    ----------
    draft : Draft
    scenario : dict
        The scenario content written (or that would be written).
    output : str or None
        The file written, if any.
    """

    draft: Draft
    scenario: dict
    output: str | None = None

    @property
    def counts(self) -> dict:
        """Rows read, indicators, targets, qualitative targets, guesses, skipped rows."""
        d = self.draft
        targets = self.scenario.get("targets", [])
        return {
            "rows": d.table_rows,
            "indicators": len(self.scenario.get("indicators", [])),
            "targets": len(targets),
            "qualitative": sum(1 for t in targets if t["kind"] == "qualitative"),
            "guesses": sum(1 for ln in d.lines if ln.level == "guess"),
            "skipped": sum(1 for ln in d.lines if ln.level == "skipped"),
        }

    def to_dict(self) -> dict:
        """JSON-ready content: file, mode, counts, tables found, lines, notes, output."""
        return {
            "file": self.draft.file,
            "mode": self.draft.mode,
            "output": self.output,
            "scenario": self.scenario["meta"]["id"],
            "counts": self.counts,
            "tables": [
                {"number": n, "label": label, "rows": rows} for n, label, rows in self.draft.tables
            ],
            "notes": list(self.draft.notes),
            "lines": [ln.to_dict() for ln in self.draft.lines],
        }

    def to_json(self) -> str:
        """Return the report as JSON text (UTF-8, Chinese kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def to_text(self) -> str:
        """Return the report as text: a summary, one line per cell read, what needs checking."""
        c = self.counts
        d = self.draft
        what = "主要指标表" if d.mode == "table" else "正文"
        head = (
            f"导入 {d.file}（{what}）：读入 {c['rows']} 行 → {c['indicators']} 个指标、"
            f"{c['targets']} 个目标"
            f"（定性 {c['qualitative']} 个），需核对 {c['guesses']} 处，未导入 {c['skipped']} 行"
        )
        out = [head]
        if len(d.tables) > 1:
            out.append(
                "文件中的表："
                + "；".join(f"{n}. {label}（{rows} 行）" for n, label, rows in d.tables)
            )
        for ln in d.lines:
            tag = _LEVEL_ZH[ln.level]
            text = f"“{ln.text}”" if ln.text else ""
            reading = f" → {ln.reading}" if ln.reading else ""
            msg = f"  [{tag}] {ln.message}" if tag else (f"  {ln.message}" if ln.message else "")
            out.append(f"{ln.where} {text}{reading}{msg}".rstrip())
        flagged = [ln for ln in d.lines if ln.level in ("guess", "qualitative", "skipped")]
        if flagged:
            out.append("需要核对：")
            for ln in flagged:
                out.append(f"  {ln.where}: “{ln.text}” {ln.message or ln.reading}")
        if self.output:
            out.append(f"已写入 {self.output}；下一步：planlib audit {self.output}")
        return "\n".join(out) + "\n"
