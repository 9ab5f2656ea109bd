"""The computed facts of a monthly bulletin (通报), as one JSON-ready dict.

Sections follow the seed bulletin (seeds/002, "3月份信息发布情况通报"): totals for the region; 空白月
units with the months in a row; units below their monthly task; units whose annual report is not
published after the deadline (条例第49条); the best units. A draft recomputes them on every read;
issuing stores them (`Bulletin.facts`), after which they never change.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yangguang.orgs.models import Organization
from yangguang.publishing.taxonomy import Genre

from . import integrations
from .months import Month
from .stats import BLANK_LOOKBACK, month_stats

BEST_COUNT = 3  # "信息发布较好的单位": how many the bulletin names


def compute(region: Organization, month: Month, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    stats = month_stats(region, month, today)
    rows = stats.rows
    genres = stats.genre_totals()
    blank = sorted((r for r in rows if r.blank and r.blank_run), key=lambda r: (-r.blank_run, r.path))
    below = sorted((r for r in rows if not r.blank and r.below_quota), key=lambda r: (r.total, r.path))
    best = sorted((r for r in rows if r.total and not r.below_quota and not r.late),
                  key=lambda r: (-r.total, -r.key_area, r.path))[:BEST_COUNT]
    report_year = month.year - 1  # the annual report due in this month's year (条例第49条)
    late = integrations.late_reports(region, report_year, stats.as_of)
    return {
        "region": {"id": region.pk, "name": region.name},
        "month": month.key,
        "label": month.label,
        "as_of": stats.as_of.isoformat(),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "totals": {
            "orgs": len(rows),
            "published": stats.total("total"),
            "key_area": stats.total("key_area"),
            "late": stats.total("late"),
            "overdue_apps": stats.total("overdue_apps"),
            "blank_orgs": len(blank),
            "below_quota_orgs": len(below),
        },
        "genres": [{"code": code, "label": str(Genre(code).label), "count": n} for code, n in genres.items()],
        "blank": [{"org_id": r.org_id, "name": r.name, "run": r.blank_run, "capped": r.blank_run_capped}
                  for r in blank],
        "below_quota": [{"org_id": r.org_id, "name": r.name, "total": r.total, "quota": r.quota} for r in below],
        "report_year": report_year,
        "late_reports": None if late is None else [
            {"org_id": x.org.pk, "name": x.org.short_name or x.org.name, "deadline": x.deadline.isoformat(),
             "status": integrations.status_label(str(x.status))} for x in late],
        "best": [{"org_id": r.org_id, "name": r.name, "total": r.total, "key_area": r.key_area} for r in best],
    }


def _run_text(item: dict) -> str:
    if item["capped"]:
        return f"连续{BLANK_LOOKBACK}个月以上"
    return f"连续{item['run']}个月" if item["run"] > 1 else "本月"


def summary_sentence(facts: dict) -> str:
    t = facts["totals"]
    return (f"{facts['label']}，{facts['region']['name']}所属{t['orgs']}个单位共发布各类政府信息{t['published']}条，"
            f"其中重点领域信息{t['key_area']}条；超过《政府信息公开条例》第二十六条规定期限发布{t['late']}条；"
            f"截至{facts['as_of']}，逾期未答复的政府信息公开申请{t['overdue_apps']}件。")


def blank_sentence(facts: dict) -> str:
    if not facts["blank"]:
        return "本月没有信息零发布的单位。"
    names = "、".join(f"{b['name']}（{_run_text(b)}空白）" for b in facts["blank"])
    return f"本月信息零发布单位{len(facts['blank'])}个：{names}。"


def below_sentence(facts: dict) -> str:
    if not facts["below_quota"]:
        return "本月没有未完成月度发布任务的单位（空白月单位见上）。"
    names = "；".join(f"{b['name']}发布{b['total']}条（任务{b['quota']}条）" for b in facts["below_quota"])
    return f"未完成月度发布任务的单位{len(facts['below_quota'])}个：{names}。"


def reports_sentence(facts: dict) -> str:
    late = facts["late_reports"]
    if late is None:
        return "年报发布情况暂无法统计（年报模块未启用）。"
    if not late:
        return f"{facts['report_year']}年度政府信息公开工作年度报告均已按期发布。"
    names = "、".join(f"{x['name']}（应于{x['deadline']}前发布，{x['status']}）" for x in late)
    return f"截至{facts['as_of']}，仍有{len(late)}个单位{facts['report_year']}年度报告未按期发布：{names}。"


def best_sentence(facts: dict) -> str:
    if not facts["best"]:
        return "本月没有同时完成发布任务且无超期发布的单位。"
    names = "、".join(f"{b['name']}（{b['total']}条）" for b in facts["best"])
    return f"{facts['label']}信息发布较好的单位有：{names}。"
