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
    publication = integrations.report_publication(region, report_year, stats.as_of)
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
            "replies": stats.total("replies"),
            "late_replies": stats.total("late_replies"),
            "blank_orgs": len(blank),
            "below_quota_orgs": len(below),
        },
        "genres": [{"code": code, "label": str(Genre(code).label), "count": n} for code, n in genres.items()],
        "blank": [{"org_id": r.org_id, "name": r.name, "run": r.blank_run, "capped": r.blank_run_capped}
                  for r in blank],
        "below_quota": [{"org_id": r.org_id, "name": r.name, "total": r.total, "quota": r.quota} for r in below],
        "report_year": report_year,
        "reports": None if publication is None else lists_from_publication(publication),
        "best": [{"org_id": r.org_id, "name": r.name, "total": r.total, "key_area": r.key_area} for r in best],
    }


def lists_from_publication(publication: list) -> dict[str, list[dict]]:
    """The orgs in three separate lists by how their report stands on `as_of`: 按期发布 / 逾期发布 /
    尚未发布 (each unpublished one marked overdue or not yet due)."""
    out: dict[str, list[dict]] = {"on_time": [], "late": [], "unpublished": []}
    for x in publication:
        item = {"org_id": x.org.pk, "name": x.org.short_name or x.org.name, "deadline": x.deadline.isoformat(),
                "published_on": x.published_on.isoformat() if x.published_on else None}
        if x.kind == "unpublished":
            item |= {"overdue": x.overdue, "status": integrations.status_label(str(x.status))}
        out[x.kind].append(item)
    return out


def report_lists(facts: dict) -> dict[str, list[dict]] | None:
    """The three lists of `facts` — also for bulletins issued before they existed, whose stored facts
    have one mixed "late_reports" list: there a unit labelled 已发布 was published late (逾期发布),
    the others had not published (尚未发布, past the deadline); the on-time units were not recorded."""
    if "reports" in facts:
        return facts["reports"]
    old = facts.get("late_reports")
    if old is None:
        return None
    published = "已发布"
    return {"on_time": None,
            "late": [x | {"published_on": None} for x in old if x.get("status") == published],
            "unpublished": [x | {"published_on": None, "overdue": True} for x in old if x.get("status") != published]}


def _run_text(item: dict) -> str:
    if item["capped"]:
        return f"连续{BLANK_LOOKBACK}个月以上"
    return f"连续{item['run']}个月" if item["run"] > 1 else "本月"


def summary_sentence(facts: dict) -> str:
    t = facts["totals"]
    return (f"{facts['label']}，{facts['region']['name']}所属{t['orgs']}个单位共发布各类政府信息{t['published']}条，"
            f"其中重点领域信息{t['key_area']}条；超过《政府信息公开条例》第二十六条规定期限发布{t['late']}条；"
            + (f"本月答复政府信息公开申请{t['replies']}件，其中逾期答复{t['late_replies']}件；" if "replies" in t else "")
            + f"截至{facts['as_of']}，逾期未答复的政府信息公开申请{t['overdue_apps']}件。")


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


def reports_sentences(facts: dict) -> list[str]:
    """The annual report paragraph, one sentence per list (按期发布 / 逾期发布 / 尚未发布): each sentence's
    count is its list's length and each name carries only its own dates, so no sentence can name a
    unit that belongs to another list."""
    lists = report_lists(facts)
    year = facts["report_year"]
    if lists is None:
        return ["年报发布情况暂无法统计（年报模块未启用）。"]
    on_time, late, unpublished = lists["on_time"], lists["late"], lists["unpublished"]
    head = f"截至{facts['as_of']}，{year}年度政府信息公开工作年度报告"
    if on_time is not None and not late and not unpublished:
        return [f"{head}均已按期发布（{len(on_time)}个单位）。"]
    out = []
    if on_time is not None:
        names = "、".join(x["name"] for x in on_time)
        out.append(f"{head}按期发布{len(on_time)}个单位" + (f"：{names}。" if on_time else "。"))
    else:
        out.append(f"{head}发布情况如下（签发时未记录按期发布的单位）。")
    if late:
        names = "、".join(f"{x['name']}（应于{x['deadline']}前发布" + (f"，{x['published_on']}发布）"
                                                                     if x.get("published_on") else "）")
                         for x in late)
        out.append(f"逾期发布{len(late)}个单位：{names}。")
    else:
        out.append("没有逾期发布的单位。")
    if unpublished:
        overdue = {bool(x["overdue"]) for x in unpublished}
        if len(overdue) == 1:  # all past the deadline, or none: said once for the list
            both = "均" if len(unpublished) > 1 else ""
            state = f"，{both}已超过发布期限" if True in overdue else f"，发布期限{both}未到"
            names = "、".join(f"{x['name']}（应于{x['deadline']}前发布）" for x in unpublished)
        else:
            state = ""
            names = "、".join(f"{x['name']}（应于{x['deadline']}前发布，" + ("已超过期限）" if x["overdue"] else "期限未到）")
                             for x in unpublished)
        out.append(f"尚未发布{len(unpublished)}个单位{state}：{names}。")
    else:
        out.append("没有尚未发布的单位。")
    return out



def best_sentence(facts: dict) -> str:
    if not facts["best"]:
        return "本月没有同时完成发布任务且无超期发布的单位。"
    names = "、".join(f"{b['name']}（{b['total']}条）" for b in facts["best"])
    return f"{facts['label']}信息发布较好的单位有：{names}。"
