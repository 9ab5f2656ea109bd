"""Exports of an annual report: JSON, Word (.docx), Excel (.xlsx, one sheet per table) and PDF
(WeasyPrint with an embedded CJK font, like core/exports/letters.py). All print the statutory
wording from `rows.py` through the one layout in `layout.py`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone

from yangguang.core.exports.letters import CJK_FONTS, add_text

from . import layout
from . import rows as R
from .tables import ordered


@dataclass
class ReportContent:
    org_name: str
    org_code: str
    year: int
    tables: dict
    overview: str = ""
    problems: str = ""
    other: str = ""
    version: int | None = None  # None: a draft computed now, not a frozen version
    finalized_at: datetime | None = None
    published_at: datetime | None = None
    correction_reason: str = ""
    scope: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.org_name}{self.year}年{R.TITLE}"

    def sections(self) -> list[tuple[str, str | layout.Grid]]:
        """(heading, narrative text or table grid) in the order of the format, 一 to 六."""
        g2, g3, g4 = layout.grids(self.tables)
        return [(R.SECTIONS["overview"], self.overview), (g2.title, g2), (g3.title, g3), (g4.title, g4),
                (R.SECTIONS["problems"], self.problems), (R.SECTIONS["other"], self.other)]

    @property
    def version_line(self) -> str:
        if self.version is None:
            return f"草稿（数据截至{timezone.localtime():%Y年%m月%d日 %H:%M}，未定稿）"
        when = timezone.localtime(self.published_at or self.finalized_at)
        verb = "发布" if self.published_at else "定稿"
        text = f"第{self.version}版，{when:%Y年%m月%d日}{verb}"
        return text + (f"；更正说明：{self.correction_reason}" if self.correction_reason else "")


def from_version(version) -> ReportContent:
    report = version.report
    return ReportContent(
        org_name=version.org_name, org_code=report.org.code, year=report.year, tables=ordered(version.tables),
        overview=version.overview, problems=version.problems, other=version.other, version=version.number,
        finalized_at=version.finalized_at, published_at=version.published_at,
        correction_reason=version.correction_reason, scope=list(version.scope),
    )


def from_draft(org, year: int, report=None) -> ReportContent:
    from .replies import with_figures
    from .scope import scope_ids
    from .tables import compute

    return ReportContent(org_name=org.name, org_code=org.code, year=year,
                         tables=with_figures(compute(org, year), scope_ids(org), year),
                         overview=getattr(report, "overview", ""), problems=getattr(report, "problems", ""),
                         other=getattr(report, "other", ""))


def to_json(content: ReportContent) -> str:
    data = {
        "org_code": content.org_code, "org_name": content.org_name, "year": content.year,
        "version": content.version,
        "published_at": content.published_at.isoformat() if content.published_at else None,
        "correction_reason": content.correction_reason,
        "sections": {"overview": content.overview, "problems": content.problems, "other": content.other},
        "table2": content.tables["table2"], "table3": content.tables["table3"], "table4": content.tables["table4"],
        **({"timeliness": content.tables["timeliness"]} if "timeliness" in content.tables else {}),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- Word -----------------------------------------------------------------------------------


def _docx_table(doc, grid: layout.Grid) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, c, cell in layout.place(grid):
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        para = target.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.num or cell.head else WD_ALIGN_PARAGRAPH.LEFT
        add_text(para, cell.text, 9 if grid.columns > 4 else 10.5, bold=cell.head and r < 3)


def to_docx(content: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE  # table 四 has fifteen columns
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(p, content.title, 18, bold=True)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(p, content.version_line, 10.5)
    for heading, body in content.sections():
        add_text(doc.add_paragraph(), heading, 14, bold=True)
        if isinstance(body, layout.Grid):
            _docx_table(doc, body)
            continue
        for text in (body or "（无）").splitlines() or ["（无）"]:
            if text.strip():
                para = doc.add_paragraph()
                para.paragraph_format.first_line_indent = Pt(24)
                add_text(para, text.strip(), 12)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- Excel ----------------------------------------------------------------------------------


def to_xlsx(content: ReportContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from yangguang.core.exports.xlsx import put  # strings as text cells, never formulas

    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    wb.remove(wb.active)
    for grid in layout.grids(content.tables):
        ws = wb.create_sheet(grid.sheet)
        put(ws, 1, 1, f"{content.title}　{grid.title}").font = Font(bold=True, size=13)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
        for r, c, cell in layout.place(grid):
            row, col = r + 2, c + 1
            target = put(ws, row, col, int(cell.text) if cell.num and cell.text.isdigit() else
                         (float(cell.text) if cell.num else cell.text))
            target.alignment = Alignment(horizontal="center" if cell.num or cell.head else "left",
                                         vertical="center", wrap_text=True)
            if cell.head and r < 3:
                target.font = Font(bold=True)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                               end_column=col + cell.colspan - 1)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    ws.cell(row + dr, col + dc).border = border
        for i in range(1, grid.columns + 1):
            ws.column_dimensions[get_column_letter(i)].width = 14 if grid.columns < 10 or i > 3 else 22
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- HTML and PDF ---------------------------------------------------------------------------


def to_html(content: ReportContent) -> str:
    """A standalone printable page (the PDF source)."""
    return render_to_string("reports/print.html", {"r": content, "fonts": CJK_FONTS})


def to_pdf(content: ReportContent) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango

    return HTML(string=to_html(content)).write_pdf()


FORMATS = {
    "json": ("application/json", to_json),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", to_docx),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "pdf": ("application/pdf", to_pdf),
}
