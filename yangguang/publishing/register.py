"""发布登记簿: the audit log filtered to publications, per org and period."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from yangguang.core.exports.xlsx import table_to_xlsx
from yangguang.core.models import AuditEvent
from yangguang.core.workdays import Calendar

from .models import Edition
from .timeliness import timeliness

HEADERS = ["序号", "发布时间", "索引号", "标题", "版本", "修改类型", "紧急发布", "发布人", "第26条时效", "内容哈希"]


def register_events(org, start: date, end: date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    return AuditEvent.objects.filter(
        org_id=org.id, action="edition.publish", created_at__gte=lo, created_at__lt=hi
    ).order_by("created_at", "id")


def register_rows(org, start: date, end: date):
    change = {"minor": "小修改", "major": "实质修改", "": ""}
    events = list(register_events(org, start, end))
    editions = Edition.objects.only("id", "info_date", "published_at").in_bulk(
        [int(ev.object_id) for ev in events if ev.object_id.isdigit()]
    )
    calendar = Calendar.from_db()
    for i, ev in enumerate(events, start=1):
        d = ev.data
        edition = editions.get(int(ev.object_id)) if ev.object_id.isdigit() else None
        measure = timeliness(edition, calendar) if edition else None
        yield [
            i, timezone.localtime(ev.created_at).strftime("%Y-%m-%d %H:%M"), d.get("index_number", ""),
            d.get("title", ""), d.get("edition", ""), change.get(d.get("change_kind") or "", ""),
            "是" if d.get("urgent") else "", ev.actor_label, measure.label if measure else "未填信息形成日期",
            (d.get("content_hash") or "")[:16],
        ]


def register_xlsx(org, start: date, end: date) -> bytes:
    title = f"{org.name} 信息发布登记簿（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"
    return table_to_xlsx(title, HEADERS, register_rows(org, start, end), sheet="发布登记簿")
