"""Excel writer shared by every report: a title row, a header row, data rows."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


def table_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sheet1") -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    widths = [len(str(h)) * 2 + 2 for h in headers]
    for row in rows:
        values = ["" if v is None else v for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
