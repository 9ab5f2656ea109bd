"""Exports reopened with python-docx, openpyxl and pypdf: exact labels, merged headers, values;
the `annual-report` command; the layout tiles every table without gaps or overlaps."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx
from known_data import load
from openpyxl import load_workbook
from pypdf import PdfReader

from yangguang.reports import exports, layout, services, tables
from yangguang.reports import rows as R

pytestmark = pytest.mark.django_db
YEAR = 2025

TABLE2_LABELS = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
                 "第二十条第（五）项", "本年处理决定数量", "行政许可", "第二十条第（六）项", "行政处罚", "行政强制",
                 "第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费"]
TABLE3_LABELS = [R.IDENTITY_NOTE, "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                 "法律服务机构", "其他", "总计", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                 "三、本年度办理结果", "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                 "（三）不予公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", '3.危及"三安全一稳定"',
                 "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
                 "8.属于行政查询事项", "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                 "3.补正后申请内容仍不明确", "（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                 "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息", "（六）其他处理",
                 "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
                 "四、结转下年度继续办理"]
TABLE4_LABELS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


@pytest.fixture
def version(org_a, org_b, staff_a):
    load(org_a, org_b)
    services.enter_figures(org_a, YEAR, staff_a.clerk, licensing=12, penalty=3, enforcement=1, fees="1.2345")
    report = services.save_narrative(org_a, YEAR, staff_a.clerk, overview="第一段总体情况。\n第二段。",
                                     problems="主要问题。", other="信息处理费0元。")
    services.finalize(report, staff_a.principal)
    return services.publish(report, staff_a.principal)


def test_layout_tiles_every_grid():
    for grid in layout.grids(tables.finish(tables.empty())):
        covered = []
        for r, c, cell in layout.place(grid):
            covered += [(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)]
        assert sorted(covered) == [(r, c) for r in range(len(grid.rows)) for c in range(grid.columns)], grid.title


def test_docx_real_tables_with_merged_headers(version):
    doc = Docx(io.BytesIO(exports.to_docx(exports.from_version(version))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "测试市教育局2025年政府信息公开工作年度报告" in text
    for heading in R.SECTIONS.values():
        assert heading in text
    assert "第二段。" in text and "主要问题。" in text
    t2, t3, t4 = doc.tables
    cells3 = [c.text for row in t3.rows for c in row.cells]
    for label in TABLE3_LABELS:
        assert label in cells3, label
    assert [c.text for c in t3.rows[0].cells][:4] == [R.IDENTITY_NOTE] * 3 + ["申请人情况"]  # merged 3 wide
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # the note spans three rows and columns
    new_row = next(r for r in t3.rows if r.cells[0].text == "一、本年新收政府信息公开申请数量")
    assert [c.text for c in new_row.cells][3:] == ["15", "17", "17", "18", "19", "20", "106"]
    assert set(TABLE2_LABELS) <= {c.text for row in t2.rows for c in row.cells}
    assert [c.text for c in t4.rows[3].cells] == [str(v) for v in [1, 1, 1, 3, 6, 2, 1, 1, 3, 7, 3, 1, 1, 3, 8]]
    assert set(TABLE4_LABELS) <= {c.text for row in t4.rows for c in row.cells}


def test_xlsx_one_sheet_per_table(version):
    wb = load_workbook(io.BytesIO(exports.to_xlsx(exports.from_version(version))))
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    values = [{c for row in ws.iter_rows(values_only=True) for c in row if c is not None} for ws in wb]
    assert set(TABLE2_LABELS) <= values[0] and set(TABLE3_LABELS) <= values[1] and set(TABLE4_LABELS) <= values[2]
    ws = wb["三、依申请公开"]
    assert "A2:C4" in {str(r) for r in ws.merged_cells.ranges}
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "二、上年结转政府信息公开申请数量")
    assert list(row[3:]) == [9, 8, 8, 8, 8, 8, 49]
    fees = next(r for r in wb["二、主动公开"].iter_rows(values_only=True) if r[0] == "行政事业性收费")
    assert fees[1] == 1.2345


def test_pdf_embeds_font_and_prints_labels(version):
    data = exports.to_pdf(exports.from_version(version))
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for label in ["二、主动公开政府信息情况", "行政规范性文件", "一、本年新收政府信息公开申请数量", "（七）总计",
                  "四、结转下年度继续办理", "复议后起诉", "5.要求行政机关确认或重新出具已获取信息"]:
        assert label in text, label
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].get_object().values()}
    assert any("WenQuanYi" in f or "Noto" in f for f in fonts), fonts


def test_json_keys_and_command(version, org_a, tmp_path, capsys):
    call_command("annual_report", org_a.code, str(YEAR), "--format", "json", "-o", "-")
    data = json.loads(capsys.readouterr().out)
    assert {"table2", "table3", "table4"} <= set(data) and data["version"] == 1
    assert list(data["table3"]) == list(R.TABLE3_KEYS)
    assert data["table3"]["carried_out"] == [2, 4, 4, 5, 6, 7, 28] and len(data["table4"]) == 15
    for fmt, check in (("docx", lambda p: Docx(str(p)).tables), ("xlsx", lambda p: load_workbook(p).sheetnames),
                       ("pdf", lambda p: PdfReader(str(p)).pages)):
        out = tmp_path / f"r.{fmt}"
        call_command("annual_report", org_a.code.lower(), str(YEAR), "--format", fmt, "-o", str(out))
        assert check(out)
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        call_command("annual_report", "NOPE", str(YEAR), "-o", "-")
    with pytest.raises(CommandError, match="标准输出"):
        call_command("annual_report", org_a.code, str(YEAR), "--format", "pdf", "-o", "-")


def test_command_without_version_computes_draft(org_a, org_b, capsys):
    load(org_a, org_b)
    call_command("annual_report", org_a.code, str(YEAR), "-o", "-")
    data = json.loads(capsys.readouterr().out)
    assert data["version"] is None and data["table3"]["total"][6] == 127
