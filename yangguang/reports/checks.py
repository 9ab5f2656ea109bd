"""The checks a report must pass before it is finalized, and the figures proposed for 一、总体情况.

The two identities of table 三 (spec/annual-report.md; 国办公开办函〔2021〕30号 header note):
第一项 + 第二项 = 第三项（七）总计 + 第四项 in every column, and 总计 = 自然人 + the five 法人或其他组织
columns in every row. Subtotals must equal the sum of their rows. Messages name the row/column.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.utils.translation import gettext as _

from yangguang.disclosure.law import OUTCOMES

from . import rows as R


@cache
def _labels() -> dict[str, str]:
    return {k: label for k, label, _lvl in R.table3_rows()}


def problems(tables: dict) -> list[str]:
    """Every inconsistency of the tables, as Chinese sentences; empty when the report may be finalized."""
    t3, out = tables["table3"], []
    labels = _labels()
    for i, col in enumerate(R.COLUMN_LABELS):
        left = t3["new"][i] + t3["carried_in"][i]
        right = t3["total"][i] + t3["carried_out"][i]
        if left != right:
            out.append(_("表三“%(col)s”列：第一项加第二项之和（%(left)s）不等于第三项（七）总计加第四项之和（%(right)s）。")
                       % {"col": col, "left": left, "right": right})
    for key in R.TABLE3_KEYS:
        six = sum(t3[key][:6])
        if six != t3[key][6]:
            out.append(_("表三“%(row)s”行：总计（%(total)s）不等于自然人与法人或其他组织各列之和（%(sum)s）。")
                       % {"row": labels[key], "total": t3[key][6], "sum": six})
    for group in R.SUBTOTAL_GROUPS:
        subs = [c for c in OUTCOMES if c.split(".")[0] == group]
        for i, col in enumerate(R.COLUMN_LABELS):
            s = sum(t3[c][i] for c in subs)
            if s != t3[group][i]:
                out.append(_("表三“%(row)s”行“%(col)s”列：小计（%(subtotal)s）不等于其下各项之和（%(sum)s）。")
                           % {"row": labels[group], "col": col, "subtotal": t3[group][i], "sum": s})
    for i, col in enumerate(R.COLUMN_LABELS):
        s = sum(t3[g][i] for g in R.GROUP_KEYS)
        if s != t3["total"][i]:
            out.append(_("表三“（七）总计”行“%(col)s”列：总计（%(total)s）不等于（一）至（六）之和（%(sum)s）。")
                       % {"col": col, "total": t3["total"][i], "sum": s})
    for key in R.TABLE3_KEYS:
        if any(v < 0 for v in t3[key]):
            out.append(_("表三“%(row)s”行有负数。") % {"row": labels[key]})
    timely = tables.get("timeliness")  # reports.replies: the same applications, classified
    if timely is not None:
        if timely["closed"] != t3["total"][6]:
            out.append(_("答复时效：本年办结%(closed)s件（按期%(on_time)s件、逾期%(late)s件），"
                         "与表三“（七）总计”（%(total)s）不一致。")
                       % {"closed": timely["closed"], "on_time": timely["on_time"], "late": timely["late"],
                          "total": t3["total"][6]})
        if timely["carried_out"] != t3["carried_out"][6]:
            out.append(_("答复时效：结转下年度%(n)s件，与表三“四、结转下年度继续办理”（%(table)s）不一致。")
                       % {"n": timely["carried_out"], "table": t3["carried_out"][6]})
    t4 = tables["table4"]
    heads = (_("行政复议"), _("行政诉讼（未经复议直接起诉）"), _("行政诉讼（复议后起诉）"))
    for n, head in enumerate(heads):
        block = t4[n * 5:n * 5 + 5]
        if sum(block[:4]) != block[4]:
            out.append(_("表四“%(head)s”：总计（%(total)s）不等于结果维持、结果纠正、其他结果、尚未审结之和（%(sum)s）。")
                       % {"head": head, "total": block[4], "sum": sum(block[:4])})
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _timeliness_proposal(timely: dict | None) -> list[tuple[str, str]]:
    if timely is None:
        return []
    text = f"本年办结的{timely['closed']}件申请中，按期答复{timely['on_time']}件、逾期答复{timely['late']}件"
    if timely["carried_out"]:
        text += f"；结转下年度的{timely['carried_out']}件中，截至{timely['as_of']}已超过答复期限{timely['overdue']}件"
    return [("答复时效", text + "。")]


def proposals(tables: dict, fee_yuan: Decimal) -> list[tuple[str, str]]:
    """(label, sentence) figures computed from the tables, offered for quoting in 一、总体情况 and 六."""
    t2, t3, t4 = tables["table2"], tables["table3"], tables["table4"]
    closed = t3["total"][6]
    return [
        ("主动公开", f"本年制发规章{t2['rule']['made']}件、行政规范性文件{t2['normative']['made']}件，"
                 f"废止规章{t2['rule']['abolished']}件、行政规范性文件{t2['normative']['abolished']}件；"
                 f"现行有效规章{t2['rule']['valid']}件、行政规范性文件{t2['normative']['valid']}件。"),
        ("依申请公开", f"本年新收政府信息公开申请{t3['new'][6]}件，上年结转{t3['carried_in'][6]}件，"
                  f"本年办结{closed}件，结转下年度继续办理{t3['carried_out'][6]}件。"),
        ("办理结果", f"予以公开{t3['1'][6]}件（占办结数的{_pct(t3['1'][6], closed)}），"
                 f"部分公开{t3['2'][6]}件，不予公开{t3['3'][6]}件，无法提供{t3['4'][6]}件，"
                 f"不予处理{t3['5'][6]}件，其他处理{t3['6'][6]}件。"),
        *_timeliness_proposal(tables.get("timeliness")),
        ("复议诉讼", f"因政府信息公开引发行政复议{t4[4]}件、行政诉讼{t4[9] + t4[14]}件，"
                 f"其中被纠正{t4[1] + t4[6] + t4[11]}件。"),
        ("信息处理费", f"本年收取政府信息公开信息处理费{fee_yuan:.2f}元。"),
    ]
