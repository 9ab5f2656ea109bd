"""条例第26条: information is published within 20 working days of being created or changed.

Derived on read from the edition's 信息形成或变更日期 and its publication date, on the official
calendar (so loading a year's schedule re-derives every provisional result), by the one clock engine
(`core.clock`, issue #16): `LIMIT` is the limit as data with its legal source. Late means at least
one WORKING day past the due date (`Reading.days_late`; published on the weekend after a Friday due
date is on time); `first_late_day` is the same boundary for the bulk counts
(supervision.stats.late_counts, the monitoring measure late_publication).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yangguang.core import clock
from yangguang.core.workdays import Calendar

from .taxonomy import PUBLISH_WITHIN_WORKING_DAYS

LIMIT = clock.Limit(PUBLISH_WITHIN_WORKING_DAYS, clock.WORKING, "条例第26条")


def first_late_day(info_date: date, calendar) -> date:
    """The first day a publication of information dated `info_date` is late (one working day past due)."""
    return LIMIT.first_late_day(info_date, calendar)


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
    published = timezone.localtime(edition.published_at).date() if edition.published_at else None
    until = published or timezone.localdate()
    r = clock.read(edition.info_date, LIMIT, [], cal, until)
    return Timeliness(edition.info_date, r.due, published, r.provisional, r.days_late(cal, until))
