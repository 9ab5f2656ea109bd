"""Helpers of the supervision tests: publish a document, then move its publication time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from yangguang.publishing.models import Document, Edition

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def publish_at(staff, when: datetime, title: str = "关于做好2026年义务教育招生工作的通知", column: str = "tzgg",
               **fields) -> Document:
    edition = staff.publish(staff.draft(title=title, column=column, **fields))
    Edition.objects.filter(pk=edition.pk).update(published_at=when, published_date=when.date())
    Document.objects.filter(pk=edition.document_id).update(first_published_at=when, last_published_at=when)
    return Document.objects.get(pk=edition.document_id)
