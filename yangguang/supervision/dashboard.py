"""What the supervisor's dashboard shows, gathered for one region and month (the view only renders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.orgs.models import Organization

from . import facts, integrations
from .months import Month
from .stats import MonthStats, month_stats, overdue_applications, series

# 条例第49条: departments' annual reports by 1月31日, the government's own by 3月31日;
# spec/monitoring.md: the bulletin for a month is generated on the 1st of the next.
REPORT_DEADLINES = (((1, 31), gettext_lazy("县级以上人民政府部门年度报告截止（条例第49条）")),
                    ((3, 31), gettext_lazy("县级以上地方人民政府年度报告截止（条例第49条）")))


@dataclass
class Deadline:
    day: date
    text: str
    days_left: int


@dataclass
class Dashboard:
    region: Organization
    month: Month
    today: date
    stats: MonthStats
    names: dict[int, str]
    overdue: list = field(default_factory=list)  # (item, application number, org name, working days over)
    reports: dict | None = None  # facts.lists_from_publication: on_time / late / unpublished
    report_status: dict | None = None
    scores: dict | None = None
    columns: list | None = None
    chart_months: list[str] = field(default_factory=list)
    chart_totals: list[int] = field(default_factory=list)
    calendar: list[Deadline] = field(default_factory=list)

    @property
    def blank(self):
        return sorted((r for r in self.stats.rows if r.blank and r.blank_run), key=lambda r: (-r.blank_run, r.path))

    @property
    def below(self):
        return sorted((r for r in self.stats.rows if not r.blank and r.below_quota), key=lambda r: (r.total, r.path))

    @property
    def column_problems(self) -> list[tuple[int, str, int, int]]:
        """(org id, name, empty columns, stale columns) of orgs with any, worst first; the columns
        themselves are listed on each org's drill-down page."""
        empty: dict[int, int] = {}
        stale: dict[int, int] = {}
        for c in self.columns or ():
            if c.empty:
                empty[c.org_id] = empty.get(c.org_id, 0) + 1
            elif c.stale:
                stale[c.org_id] = stale.get(c.org_id, 0) + 1
        ids = set(empty) | set(stale)
        rows = [(i, self.names.get(i, ""), empty.get(i, 0), stale.get(i, 0)) for i in ids]
        return sorted(rows, key=lambda r: (-(r[2] + r[3]), r[1]))

    @property
    def totals(self) -> dict[str, int]:
        s = self.stats
        return {"published": s.total("total"), "key_area": s.total("key_area"), "late": s.total("late"),
                "blank": len(self.blank), "below": len(self.below), "overdue": len(self.overdue),
                "replies": s.total("replies"), "late_replies": s.total("late_replies"),
                "orgs": len(s.rows)}

    @property
    def report_year(self) -> int:
        return self.today.year - 1

    def rows(self):
        """One row per org with every figure, for the main table."""
        for r in sorted(self.stats.rows, key=lambda r: r.path):
            score = (self.scores or {}).get(r.org_id)
            status = (self.report_status or {}).get(r.org_id)
            yield r, status, score


def deadline_calendar(today: date, count: int = 6) -> list[Deadline]:
    """The next bulletin days (1st of each month) and annual report deadlines, soonest first."""
    items: list[Deadline] = []
    m = Month.of(today)
    for i in range(1, 4):
        nxt = m.minus(-i)
        items.append(Deadline(nxt.first_day, _("生成%(month)s通报") % {"month": nxt.previous().label}, 0))
    for year in (today.year, today.year + 1):
        for (month, day), text in REPORT_DEADLINES:
            d = date(year, month, day)
            if d >= today:
                items.append(Deadline(d, _("%(year)s年度%(deadline)s") % {"year": year - 1, "deadline": text}, 0))
    items.sort(key=lambda x: x.day)
    for x in items:
        x.days_left = (x.day - today).days
    return items[:count]


def build(region: Organization, month: Month, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    stats = month_stats(region, month, today)
    ids = [r.org_id for r in stats.rows]
    names = {r.org_id: r.name for r in stats.rows}
    board = Dashboard(region, month, today, stats, names)
    current = overdue_applications(region, today)  # overdue now, whatever month is shown
    items = [i for group in current.values() for i in group]
    board.overdue = sorted(((i, i.number, names.get(i.org_id, ""), i.days_over) for i in items),
                           key=lambda t: (-t[3], t[0].due or today, t[1]))
    publication = integrations.report_publication(region, today.year - 1, today)
    board.reports = None if publication is None else facts.lists_from_publication(publication)
    board.report_status = integrations.report_status(ids, today.year - 1)
    board.scores = integrations.latest_scores(ids)
    board.columns = integrations.column_status(ids, today)
    keys, per_org = series(region, month, 12)
    board.chart_months = [k.key for k in keys]
    board.chart_totals = [sum(v[i] for v in per_org.values()) for i in range(len(keys))]
    board.calendar = deadline_calendar(today)
    return board
