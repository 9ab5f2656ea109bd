"""The annual report format as data: sections, tables, rows, columns — wording verbatim.

Source: 国办公开办函〔2021〕30号 (the current format, revising 国办公开办函〔2019〕60号), as written
in spec/annual-report.md; deadlines from 《政府信息公开条例》(国务院令第711号) 第49条. Labels are
statutory text and deliberately not translatable: every export must print them exactly.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from yangguang.disclosure.law import OUTCOME_GROUPS, OUTCOMES, ApplicantType, outcome_label

TITLE = "政府信息公开工作年度报告"

SECTIONS = {
    "overview": "一、总体情况",
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

# --- table 二 (条例第20条 items (一), (五), (六), (八)) --------------------------------------------

# Each block: (heading, column headers, rows as (key, label)). Keys are the JSON keys of `table2`.
TABLE2_BLOCKS = (
    ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
     (("rule", "规章"), ("normative", "行政规范性文件"))),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("licensing", "行政许可"),)),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), (("penalty", "行政处罚"), ("enforcement", "行政强制"))),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (("fees", "行政事业性收费"),)),
)
# The three figures of item (一), in column order.
TABLE2_DOC_FIELDS = ("made", "abolished", "valid")

# --- table 三 -----------------------------------------------------------------------------------

APPLICANT_KEYS: tuple[str, ...] = tuple(ApplicantType.values)  # natural, business, research, nonprofit, legal, other
COLUMN_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPLICANT_HEAD = "申请人情况"
ORGANIZATION_HEAD = "法人或其他组织"
IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RESULTS_HEAD = "三、本年度办理结果"
GROUP_KEYS = ("1", "2", "3", "4", "5", "6")
# Groups with sub-rows; （一）and （二）are rows of their own (their group key is their outcome code).
SUBTOTAL_GROUPS = ("3", "4", "5", "6")


def _sub_label(code: str) -> str:
    return f"{code.split('.')[1]}.{outcome_label(code)}"


@cache
def table3_rows() -> tuple[tuple[str, str, int], ...]:
    """(key, printed label, indent level) of every row of table 三, in order. The 三、本年度办理结果
    heading is printed as a merged cell in front of the outcome rows, not as a row of its own."""
    rows: list[tuple[str, str, int]] = [
        ("new", "一、本年新收政府信息公开申请数量", 0),
        ("carried_in", "二、上年结转政府信息公开申请数量", 0),
    ]
    for group in GROUP_KEYS:
        rows.append((group, OUTCOME_GROUPS[group], 1))
        if group in SUBTOTAL_GROUPS:
            rows += [(c, _sub_label(c), 2) for c in OUTCOMES if c.split(".")[0] == group]
    rows.append(("total", "（七）总计", 1))
    rows.append(("carried_out", "四、结转下年度继续办理", 0))
    return tuple(rows)


TABLE3_KEYS: tuple[str, ...] = tuple(k for k, _label, _lvl in table3_rows())
RESULT_KEYS: tuple[str, ...] = tuple(k for k, _label, lvl in table3_rows() if lvl > 0)

# --- table 四 -----------------------------------------------------------------------------------

REMEDY_KINDS = ("reconsideration", "litigation_direct", "litigation_after")  # disclosure.Remedy.Kind
REMEDY_RESULTS = ("upheld", "corrected", "other", "pending")  # disclosure.Remedy.Result
REMEDY_RESULT_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
TABLE4_HEADS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
TABLE4_LEN = 15  # five columns for each of the three kinds, in the spec's order

# --- deadlines, 条例第49条 ------------------------------------------------------------------------

GOVERNMENT_KINDS = ("city", "county", "district")  # 县级以上地方人民政府 (orgs.OrgKind)


def deadline(org_kind: str, year: int) -> date:
    """The last day to publish the report for `year`. 条例第49条: 县级以上人民政府部门 by 1月31日;
    the government's own report (县级以上地方人民政府, published by its 主管部门) by 3月31日.
    Decision: 乡镇/街道 have no date of their own in 第49条; they report to the county like its
    departments, so they get 1月31日."""
    return date(year + 1, 3, 31) if org_kind in GOVERNMENT_KINDS else date(year + 1, 1, 31)
