"""条例第26条: information is published within 20 working days of being created or changed.

Derived on read from the edition's 信息形成或变更日期 and its publication date, on the official
calendar (so loading a year's schedule re-derives every provisional result).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yangguang.core.workdays import Calendar

from .taxonomy import PUBLISH_WITHIN_WORKING_DAYS


@dataclass(frozen=True)
class Timeliness:
    info_date: date
    due: date
    published: date | None  # None while not yet published
    provisional: bool
    overdue_working_days: int  # working days past `due` (at publication, or as of today while unpublished)

    @property
    def on_time(self) -> bool:
        return self.overdue_working_days == 0

    @property
    def label(self) -> str:
        mark = "（暂定）" if self.provisional else ""
        if self.on_time:
            return f"按时（应于{self.due:%Y-%m-%d}前公开）{mark}"
        when = "公开时" if self.published else "至今"
        return f"超期：{when}已超过法定期限{self.overdue_working_days}个工作日（应于{self.due:%Y-%m-%d}前公开）{mark}"


def timeliness(edition, calendar: Calendar | None = None) -> Timeliness | None:
    """None when the edition records no 信息形成或变更日期."""
    if edition.info_date is None:
        return None
    cal = calendar or Calendar.from_db()
    result = cal.add_working_days(edition.info_date, PUBLISH_WITHIN_WORKING_DAYS)
    published = timezone.localtime(edition.published_at).date() if edition.published_at else None
    until = published or timezone.localdate()
    overdue = cal.count_working_days(result.date, until) if until > result.date else 0
    return Timeliness(edition.info_date, result.date, published, result.provisional, overdue)
