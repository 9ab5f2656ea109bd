"""The printed layout of tables 二, 三 and 四 as grids of cells with merged headers, in the official
format (国办公开办函〔2021〕30号). One layout feeds the web page, the PDF, Word and Excel, so their
wording cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from yangguang.disclosure.law import OUTCOME_GROUPS, OUTCOMES

from . import rows as R


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    head: bool = False
    num: bool = False


@dataclass(frozen=True)
class Grid:
    title: str  # the section heading, e.g. 二、主动公开政府信息情况
    sheet: str  # short name for an Excel sheet
    columns: int
    rows: list[list[Cell]]
    widths: tuple[float, ...] = ()  # column widths in per cent, for print and Word


def _n(value) -> Cell:
    return Cell(str(value), num=True)


def table2(t2: dict) -> Grid:
    rows: list[list[Cell]] = []
    for heading, headers, items in R.TABLE2_BLOCKS:
        rows.append([Cell(heading, colspan=4, head=True)])
        wide = 4 - len(headers) + 1  # a single figure column spans the remaining width
        rows.append([Cell(h, head=True, colspan=wide if i == len(headers) - 1 else 1) for i, h in enumerate(headers)])
        for key, label in items:
            if key in ("rule", "normative"):
                rows.append([Cell(label, head=True), *(_n(t2[key][f]) for f in R.TABLE2_DOC_FIELDS)])
            else:
                rows.append([Cell(label, head=True), Cell(str(t2[key]), colspan=wide, num=True)])
    return Grid(R.SECTIONS["table2"], "二、主动公开", 4, rows, (25.0,) * 4)


def table3(t3: dict) -> Grid:
    labels = {k: label for k, label, _lvl in R.table3_rows()}
    rows: list[list[Cell]] = [
        [Cell(R.IDENTITY_NOTE, colspan=3, rowspan=3, head=True), Cell(R.APPLICANT_HEAD, colspan=7, head=True)],
        [Cell(R.COLUMN_LABELS[0], rowspan=2, head=True), Cell(R.ORGANIZATION_HEAD, colspan=5, head=True),
         Cell(R.COLUMN_LABELS[6], rowspan=2, head=True)],
        [Cell(label, head=True) for label in R.COLUMN_LABELS[1:6]],
    ]

    def values(key):
        return [_n(v) for v in t3[key]]

    rows.append([Cell(labels["new"], colspan=3, head=True), *values("new")])
    rows.append([Cell(labels["carried_in"], colspan=3, head=True), *values("carried_in")])
    result_rows: list[list[Cell]] = []
    for group in R.GROUP_KEYS:
        if group not in R.SUBTOTAL_GROUPS:
            result_rows.append([Cell(OUTCOME_GROUPS[group], colspan=2, head=True), *values(group)])
            continue
        subs = [c for c in OUTCOMES if c.split(".")[0] == group]
        for i, code in enumerate(subs):
            lead = [Cell(OUTCOME_GROUPS[group], rowspan=len(subs), head=True)] if i == 0 else []
            result_rows.append([*lead, Cell(labels[code], head=True), *values(code)])
    result_rows.append([Cell(labels["total"], colspan=2, head=True), *values("total")])
    result_rows[0].insert(0, Cell(R.RESULTS_HEAD, rowspan=len(result_rows), head=True))
    rows += result_rows
    rows.append([Cell(labels["carried_out"], colspan=3, head=True), *values("carried_out")])
    return Grid(R.SECTIONS["table3"], "三、依申请公开", 10, rows, (9.0, 10.0, 33.0, *(48 / 7,) * 7))


def table4(t4: list[int]) -> Grid:
    results = R.REMEDY_RESULT_LABELS
    rows = [
        [Cell(R.TABLE4_HEADS[0], colspan=5, head=True), Cell(R.TABLE4_HEADS[1], colspan=10, head=True)],
        [*(Cell(r, rowspan=2, head=True) for r in results),
         Cell(R.TABLE4_HEADS[2], colspan=5, head=True), Cell(R.TABLE4_HEADS[3], colspan=5, head=True)],
        [Cell(r, head=True) for r in results * 2],
        [_n(v) for v in t4],
    ]
    return Grid(R.SECTIONS["table4"], "四、复议诉讼", 15, rows, (100 / 15,) * 15)


def grids(tables: dict) -> list[Grid]:
    return [table2(tables["table2"]), table3(tables["table3"]), table4(tables["table4"])]


def place(grid: Grid) -> list[tuple[int, int, Cell]]:
    """Absolute (row, column) of each cell, skipping positions covered by earlier row spans."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out
