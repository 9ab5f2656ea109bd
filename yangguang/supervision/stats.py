"""Monthly publication statistics per org (spec/monitoring.md "Publication statistics and bulletins").

Every figure is computed by SQL aggregation over the whole region at once (one query per measure,
the region selected by its `Organization.path` prefix), never org by org:

- published: documents first published in the month (local time), not removed (下架); by 体裁 and
  重点领域 (`keyareas`);
- late: editions published in the month more than 20 working days after their 信息形成或变更日期
  (条例第26条, the same rule and calendar as `publishing.timeliness`);
- 空白月: no publication in the month, and how many months in a row up to it — counted back no
  further than the region's first publication on this platform (before that there are no data,
  not blank months) and at most BLANK_LOOKBACK months;
- quota: the month's total below the org's 月度发布任务 (`quotas`);
- applications, by the receiving org, all from `disclosure.timeliness` (the one classification the
  workbench, monitoring and the annual report use too): open and overdue (已超期, late stays late)
  as of the month's last day (or today, if earlier); and replies in the month, on time or late
  (按期答复 / 逾期答复);
- annual report status: of the report for the year before the month's (due in the month's year,
  条例第49条), from `reports.status` (via `integrations`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from yangguang.core.workdays import Calendar
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Document, Edition
from yangguang.publishing.taxonomy import Genre
from yangguang.publishing.timeliness import first_late_day

from . import integrations, quotas
from .keyareas import key_area_q
from .months import Month, trunc_key

BLANK_LOOKBACK = 36  # months; a longer run is shown as "36个月以上"


@dataclass
class OrgMonth:
    org_id: int
    name: str
    path: str
    depth: int
    total: int = 0
    genres: dict[str, int] = field(default_factory=dict)
    key_area: int = 0
    late: int = 0
    blank_run: int = 0  # consecutive blank months ending with this month (0: published this month)
    blank_run_capped: bool = False
    quota: int = 0
    overdue_apps: int = 0  # open and 已超期 at `as_of`
    replies: int = 0  # closed in the month (by `as_of`)
    late_replies: int = 0  # of which 逾期答复
    report_status: str | None = None  # label of last year's annual report status; None: reports app missing

    @property
    def blank(self) -> bool:
        return self.total == 0

    @property
    def below_quota(self) -> bool:
        return self.total < self.quota

    def as_dict(self) -> dict:
        return {"org_id": self.org_id, "name": self.name, "total": self.total, "genres": self.genres,
                "key_area": self.key_area, "late": self.late, "blank_run": self.blank_run,
                "blank_run_capped": self.blank_run_capped, "quota": self.quota, "overdue_apps": self.overdue_apps,
                "replies": self.replies, "late_replies": self.late_replies, "report_status": self.report_status}


@dataclass
class MonthStats:
    region_id: int
    month: Month
    as_of: date
    rows: list[OrgMonth]

    def total(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.rows)

    def genre_totals(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for r in self.rows:
            for g, n in r.genres.items():
                out[g] += n
        return {g.value: out[g.value] for g in Genre if out.get(g.value)}

    def by_org(self) -> dict[int, OrgMonth]:
        return {r.org_id: r for r in self.rows}


def region_orgs(region: Organization):
    return Organization.objects.filter(path__startswith=region.path)


def _docs(region: Organization):
    return Document.objects.filter(org__path__startswith=region.path, first_published_at__isnull=False,
                                   removed_at__isnull=True)


def published_counts(region: Organization, month: Month) -> dict[int, dict[str, int]]:
    """org id → {genre: count} for the month, plus the key "__key__" for 重点领域 items."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (_docs(region).filter(first_published_at__gte=month.start, first_published_at__lt=month.end)
            .values("org_id", "live_edition__genre")
            .annotate(n=Count("id"), key=Count("id", filter=key_area_q())).order_by())
    for r in rows:
        counts = out[r["org_id"]]
        genre = r["live_edition__genre"] or Genre.OTHER
        counts[genre] = counts.get(genre, 0) + r["n"]
        counts["__key__"] = counts.get("__key__", 0) + r["key"]
    return out


def monthly_totals(region: Organization, first: Month, last: Month) -> dict[int, dict[Month, int]]:
    """org id → {month: documents first published} for first..last, one grouped query."""
    out: dict[int, dict[Month, int]] = defaultdict(dict)
    rows = (_docs(region).filter(first_published_at__gte=first.start, first_published_at__lt=last.end)
            .annotate(m=TruncMonth("first_published_at")).values("org_id", "m").annotate(n=Count("id"))
            .order_by())
    for r in rows:
        out[r["org_id"]][trunc_key(r["m"])] = r["n"]
    return out


def data_start(region: Organization) -> Month | None:
    """The month of the region's first publication on this platform (None: nothing published yet)."""
    first = _docs(region).aggregate(m=Min("first_published_at"))["m"]
    return Month.of(timezone.localtime(first).date()) if first else None


def late_counts(region: Organization, month: Month, calendar: Calendar | None = None) -> dict[int, int]:
    """org id → editions published in the month later than 条例第26条 allows. Grouped in SQL by
    (org, 信息形成日期, local publication date); each group is judged once on the official calendar."""
    cal = calendar or Calendar.from_db()
    rows = (Edition.objects.filter(document__org__path__startswith=region.path, document__removed_at__isnull=True,
                                   published_at__gte=month.start, published_at__lt=month.end,
                                   info_date__isnull=False)
            .annotate(day=TruncDate("published_at")).values("document__org_id", "info_date", "day")
            .annotate(n=Count("id")).order_by())
    late_from: dict[date, date] = {}
    out: dict[int, int] = defaultdict(int)
    for r in rows:
        info = r["info_date"]
        if info not in late_from:
            late_from[info] = first_late_day(info, cal)
        # Late = at least one working day past the due date (the clock engine, as `publishing.timeliness`).
        if r["day"] >= late_from[info]:
            out[r["document__org_id"]] += r["n"]
    return dict(out)


@dataclass(frozen=True)
class OverdueApplication:
    """An open application past its reply deadline (已超期), as the overview lists it."""

    application_id: int
    number: str
    org_id: int  # the receiving org
    due: date | None
    remaining: int | None  # negative: working days over (as of the day asked)
    overdue_since: date | None
    provisional: bool = False

    @property
    def days_over(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0


def _applications(region: Organization):
    from yangguang.disclosure.models import Application

    return Application.objects.filter(org__path__startswith=region.path)


def overdue_applications(region: Organization, as_of: date) -> dict[int, list[OverdueApplication]]:
    """Receiving org id → applications open and overdue on `as_of` (`disclosure.timeliness`)."""
    from yangguang.disclosure import timeliness

    out: dict[int, list[OverdueApplication]] = defaultdict(list)
    for row, t in timeliness.overdue(_applications(region), as_of):
        out[row.org_id].append(OverdueApplication(row.id, row.number, row.org_id, t.due, t.remaining,
                                                  t.overdue_since, t.provisional))
    return dict(out)


def application_counts(region: Organization, month: Month, as_of: date) -> dict[int, object]:
    """Receiving org id → `timeliness.Counts`: open at `as_of` by class, and closed in the month
    (from its first day to `as_of`) on time or late."""
    from yangguang.disclosure import timeliness

    return timeliness.count(_applications(region), as_of, closed_from=month.first_day)


def blank_run(history: dict[Month, int], month: Month, start: Month | None) -> tuple[int, bool]:
    """Consecutive months with no publication ending at `month` (0 if it has one), and whether the
    count stopped at the look-back limit rather than at a month with publications or the data start."""
    run = 0
    m = month
    while history.get(m, 0) == 0:
        if start is not None and m < start:
            return run, False
        if start is None and run >= 1:
            return run, False  # no data at all in the region: only the month itself is known blank
        if run >= BLANK_LOOKBACK:
            return run, True
        run += 1
        m = m.previous()
    return run, False


def month_stats(region: Organization, month: Month, today: date | None = None) -> MonthStats:
    """The statistics of every org in `region`'s subtree for `month`."""
    today = today or timezone.localdate()
    as_of = min(today, month.last_day)
    orgs = list(region_orgs(region).values_list("id", "name", "short_name", "path"))
    counts = published_counts(region, month)
    history = monthly_totals(region, month.minus(BLANK_LOOKBACK), month)
    start = data_start(region)
    late = late_counts(region, month)
    quota = quotas.resolve([(o[0], o[3]) for o in orgs])
    apps = application_counts(region, month, as_of)
    reports = integrations.report_status([o[0] for o in orgs], month.year - 1) or {}
    base_depth = region.path.count("/")
    rows = []
    for org_id, name, short, path in orgs:
        c = counts.get(org_id, {})
        genres = {g: n for g, n in c.items() if g != "__key__"}
        row = OrgMonth(org_id, short or name, path, path.count("/") - base_depth, total=sum(genres.values()),
                       genres=genres, key_area=c.get("__key__", 0), late=late.get(org_id, 0),
                       quota=quota[org_id][0], report_status=reports.get(org_id))
        if org_id in apps:
            row.overdue_apps, row.replies, row.late_replies = apps[org_id].overdue, apps[org_id].closed, apps[org_id].late
        row.blank_run, row.blank_run_capped = blank_run(history.get(org_id, {}), month, start)
        rows.append(row)
    return MonthStats(region.pk, month, as_of, rows)


def series(region: Organization, last: Month, months: int = 12) -> tuple[list[Month], dict[int, list[int]]]:
    """The last `months` months and, per org, its publications in each (for the dashboard chart)."""
    first = last.minus(months - 1)
    keys = [first.minus(-i) for i in range(months)]
    totals = monthly_totals(region, first, last)
    return keys, {org_id: [per.get(m, 0) for m in keys] for org_id, per in totals.items()}
