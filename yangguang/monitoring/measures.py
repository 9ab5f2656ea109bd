"""Measurements of the 检查指标, set-based over all orgs of a run at once.

Each registered measure takes the run's `Context` and the indicator row and returns
{org_id: Measured(value, details)} for the orgs that have something to report; the engine fills
the others with value 0. Column-based measures share ONE aggregate query (`column_status`: public
documents GROUP BY column, `Max(first_published_at)` and `Count`), the document and application
measures are one query each — never a query per column or per org.

Days and "stale": a column is stale when its newest public item is `effective_stale_after_days`
or more days old (动态 14: 13 days old is fine, 14 is stale; 通知公告/政策文件 183 ≈ 6 months;
长期 365 unless set per column; 静态 never). A column with no public item is empty, not stale:
each column counts towards one 栏目不更新 criterion only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from yangguang.publishing.models import Column, Document, Edition
from yangguang.publishing.taxonomy import Genre, UpdateClass, Validity

from .models import ScanState

PUBLIC = Q(live_edition__isnull=False, withdrawn_at__isnull=True, removed_at__isnull=True)
DETAIL_LIMIT = 200  # ids kept per result for drill-down; the value counts them all


@dataclass(frozen=True)
class ColumnStatus:
    column: Column
    org_id: int
    last_published: datetime | None
    count: int  # public documents (0 where the engine skipped counting)
    stale: bool
    empty: bool
    days: int | None  # days since the newest public item; None when empty


@dataclass(frozen=True)
class Measured:
    value: float | None  # None: nothing to measure from (e.g. never published) — fails a veto/deduct
    details: dict = field(default_factory=dict)


@dataclass
class Context:
    today: date
    orgs: QuerySet  # the run's organizations
    org_ids: list[int]
    all_orgs: bool = False
    _columns: list[ColumnStatus] | None = None

    def org_filter(self, field_name: str = "org") -> Q:
        return Q() if self.all_orgs else Q(**{f"{field_name}__in": self.orgs.values("id")})

    @property
    def columns(self) -> list[ColumnStatus]:
        if self._columns is None:
            self._columns = _column_status(self.org_filter(), self.today, with_counts=False)
        return self._columns


def local_date(dt: datetime) -> date:
    return timezone.localtime(dt).date()


def _column_status(org_q: Q, today: date, with_counts: bool = True) -> list[ColumnStatus]:
    # Three set-based queries shaped for the indexes the documents table has: the newest public
    # item per column by a correlated subquery walking (column, -first_published_at); all
    # documents per column from the column index alone; minus the few that are not public.
    # (One GROUP BY over the public filter reads every row through the column index on SQLite,
    # several times slower at 1M documents.)
    newest = (Document.objects.filter(PUBLIC, column=OuterRef("pk")).order_by("-first_published_at")
              .values("first_published_at")[:1])
    columns = Column.objects.filter(org_q).annotate(last=Subquery(newest)).order_by("org_id", "position", "id")
    counts: dict[int, int] = {}
    if with_counts:  # the indicators need only the newest item; the counts are for display
        docs = Document.objects.filter(org_q).order_by().values("column_id").annotate(n=Count("id"))
        counts = {row["column_id"]: row["n"] for row in docs}
        for row in docs.exclude(PUBLIC):
            counts[row["column_id"]] -= row["n"]
    out = []
    for col in columns:
        last = col.last
        days = (today - local_date(last)).days if last else None
        limit = col.effective_stale_after_days
        stale = days is not None and limit is not None and days >= limit
        out.append(ColumnStatus(col, col.org_id, last, counts.get(col.id, 0), stale, last is None, days))
    return out


def column_status(org_ids: Iterable[int] | QuerySet | None, today: date | None = None) -> list[ColumnStatus]:
    """Every column of the given orgs (None: all orgs) with its newest public item, count, stale, empty."""
    today = today or timezone.localdate()
    if org_ids is None:
        return _column_status(Q(), today)
    if isinstance(org_ids, QuerySet):
        return _column_status(Q(org__in=org_ids.values("id")), today)
    ids = list(org_ids)
    out: list[ColumnStatus] = []
    for start in range(0, len(ids), 500):  # SQLite caps the number of query parameters
        out += _column_status(Q(org_id__in=ids[start:start + 500]), today)
    return out


REGISTRY: dict[str, Callable[[Context, object], dict[int, Measured]]] = {}
LABELS: dict[str, str] = {}


def register(name: str, label: str):
    def wrap(fn):
        REGISTRY[name] = fn
        LABELS[name] = label
        return fn
    return wrap


def _column_counts(ctx: Context, pick: Callable[[ColumnStatus], bool]) -> dict[int, Measured]:
    found: dict[int, list[int]] = defaultdict(list)
    for c in ctx.columns:
        if pick(c):
            found[c.org_id].append(c.column.id)
    return {org: Measured(len(ids), {"columns": ids[:DETAIL_LIMIT]}) for org, ids in found.items()}


@register("home_days", "首页（动态/要闻栏目）距最近一次新发布的天数")
def home_days(ctx: Context, indicator) -> dict[int, Measured]:
    """The home page shows the newest items of the org's 动态/要闻 (news class) columns, so those are
    its home columns; an org without any news column has all its columns on the home page."""
    by_org: dict[int, list[ColumnStatus]] = defaultdict(list)
    for c in ctx.columns:
        by_org[c.org_id].append(c)
    out = {}
    for org_id in ctx.org_ids:
        cols = by_org.get(org_id, [])
        home = [c for c in cols if c.column.update_class == UpdateClass.NEWS] or cols
        dated = [c.last_published for c in home if c.last_published]
        last = max(dated) if dated else None
        details = {"columns": [c.column.id for c in home][:DETAIL_LIMIT],
                   "last_published": last.isoformat() if last else None}
        out[org_id] = Measured((ctx.today - local_date(last)).days if last else None, details)
    return out


@register("stale_news_notice", "2周未更新的动态/要闻栏目与6个月未更新的通知公告/政策文件一级栏目数")
def stale_news_notice(ctx: Context, indicator) -> dict[int, Measured]:
    return _column_counts(ctx, lambda c: c.stale and (
        c.column.update_class == UpdateClass.NEWS
        or (c.column.update_class == UpdateClass.NOTICE and c.column.parent_id is None)))


@register("stale_long", "超过更新期限的长期类栏目数")
def stale_long(ctx: Context, indicator) -> dict[int, Measured]:
    return _column_counts(ctx, lambda c: c.stale and c.column.update_class == UpdateClass.LONG)


@register("empty_columns", "空白栏目数")
def empty_columns(ctx: Context, indicator) -> dict[int, Measured]:
    return _column_counts(ctx, lambda c: c.empty)


@register("policy_column_stale", "未按期更新（或空白）的政策文件栏目数")
def policy_column_stale(ctx: Context, indicator) -> dict[int, Measured]:
    slugs = set((indicator.params or {}).get("column_slugs") or ["zcwj"])
    return _column_counts(ctx, lambda c: c.column.slug in slugs and (c.stale or c.empty))


def _window_start(ctx: Context, indicator, default: int = 365) -> datetime:
    days = int((indicator.params or {}).get("window_days") or default)
    first = ctx.today - timedelta(days=days - 1)
    return timezone.make_aware(datetime.combine(first, time.min))


def _group_ids(rows: Iterable[tuple[int, int]]) -> dict[int, Measured]:
    # Sorted here, not by ORDER BY org_id, id: that ORDER BY makes SQLite walk the whole documents
    # table through the org index instead of the date index's range (4x slower at 1M documents).
    found: dict[int, list[int]] = defaultdict(list)
    for org_id, doc_id in rows:
        found[org_id].append(doc_id)
    return {org: Measured(len(ids), {"documents": sorted(ids)[:DETAIL_LIMIT]}) for org, ids in found.items()}


def _names() -> dict[str, str]:
    d, e = Document._meta, Edition._meta
    return {"doc": d.db_table, "edition": e.db_table, **{f"d_{f.name}": f.column for f in d.concrete_fields},
            **{f"e_{f.name}": f.column for f in e.concrete_fields}}


def _live_editions() -> str:
    """`CROSS JOIN` the editions table, to be joined on the live edition in WHERE. For SQLite both
    are plan hints, needed because a deployment may never have gathered ANALYZE statistics:
    CROSS JOIN keeps the documents (narrowed by a date index) as the outer loop, and INDEXED BY
    reads each edition from the narrow covering index (`edition_monitoring_cover`: id, genre,
    validity, info_date, published_at), never the wide row with its body text. PostgreSQL treats
    CROSS JOIN + WHERE as the inner join it is and plans it alone."""
    table = Edition._meta.db_table
    hint = " INDEXED BY edition_monitoring_cover" if connection.vendor == "sqlite" else ""
    return f"CROSS JOIN {table} e{hint}"


def _public_docs_where(n: dict[str, str], ctx: Context) -> tuple[str, list]:
    """WHERE terms: d is public and (unless the run covers every org) of the run's orgs."""
    sql = (f"d.{n['d_live_edition']} IS NOT NULL AND d.{n['d_withdrawn_at']} IS NULL "
           f"AND d.{n['d_removed_at']} IS NULL")
    if ctx.all_orgs:
        return sql, []
    org_sql, org_params = ctx.orgs.values("id").query.sql_with_params()
    return f"{sql} AND d.{n['d_org']} IN ({org_sql})", list(org_params)


@register("policy_without_interpretation", "未解读的政策文件数（规章、行政规范性文件）")
def policy_without_interpretation(ctx: Context, indicator) -> dict[int, Measured]:
    """Valid 规章/行政规范性文件 first published in the window that no public 政策解读 interprets."""
    n = _names()
    public, params = _public_docs_where(n, ctx)
    sql = (f"SELECT d.{n['d_org']}, d.id FROM {n['doc']} d {_live_editions()} "
           f"WHERE e.id = d.{n['d_live_edition']} AND {public} AND d.{n['d_first_published_at']} >= %s "
           f"AND e.{n['e_genre']} IN (%s, %s) AND e.{n['e_validity']} = %s "
           f"AND NOT EXISTS (SELECT 1 FROM {n['doc']} i WHERE i.{n['d_interpretation_of']} = d.id "
           f"AND i.{n['d_live_edition']} IS NOT NULL AND i.{n['d_withdrawn_at']} IS NULL "
           f"AND i.{n['d_removed_at']} IS NULL)")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, connection.ops.adapt_datetimefield_value(_window_start(ctx, indicator)),
                          Genre.RULE.value, Genre.NORMATIVE.value, Validity.VALID.value])
        return _group_ids(cur.fetchall())


LATE_INFO_DAYS_BEFORE_WINDOW = 90  # info dates judged in SQL: from this long before the window to today


def _late_sql(n: dict[str, str], days: int, public: str) -> str:
    rows = ", ".join(["(%s, %s)"] * days)
    return (
        f"WITH due(info_date, late_from) AS (VALUES {rows}) "
        f"SELECT d.{n['d_org']}, d.id, due.late_from IS NULL "
        f"FROM {n['doc']} d {_live_editions()} "
        # COALESCE: in SQLite a function's result has no type affinity, so the join can use an
        # automatic index on the VALUES table; joined on the bare date column it scans the whole
        # table once per document.
        f"LEFT JOIN due ON due.info_date = COALESCE(e.{n['e_info_date']}, NULL) "
        f"WHERE e.id = d.{n['d_live_edition']} AND {public} AND d.{n['d_last_published_at']} >= %s "
        f"AND e.{n['e_info_date']} IS NOT NULL "
        f"AND (due.late_from IS NULL OR e.{n['e_published_at']} >= due.late_from)"
    )


@register("late_publication", "超过20个工作日才公开的信息数（条例第26条）")
def late_publication(ctx: Context, indicator) -> dict[int, Measured]:
    """As `publishing.timeliness`: late once a WORKING day has passed after the due date (20 working
    days after the 信息形成或变更日期, official calendar), i.e. published on or after the 21st working
    day. The calendar stays in Python: the first late day is computed once per info date from a
    little before the window to today and joined in as a VALUES table, so SQL compares each
    publication time with its own due date and returns only the late documents (pulling every
    publication of the year into Python was most of this measure's time). Info dates outside that
    range (none in normal data) come back unjudged and are judged here, the same way."""
    from yangguang.core.workdays import Calendar
    from yangguang.publishing import timeliness

    cal = Calendar.from_db()
    late_from: dict[date, date] = {}

    def first_late_day(info: date) -> date:  # the clock engine's boundary (publishing.timeliness)
        d = late_from.get(info)
        if d is None:
            d = late_from[info] = timeliness.first_late_day(info, cal)
        return d

    start = _window_start(ctx, indicator)
    first = local_date(start) - timedelta(days=LATE_INFO_DAYS_BEFORE_WINDOW)
    days = (ctx.today - first).days + 1
    ops = connection.ops
    params: list = []
    for i in range(days):
        info = first + timedelta(days=i)
        # Local midnight of the first late day: published at or after it ⇔ local date on or after it.
        params += [ops.adapt_datefield_value(info),
                   ops.adapt_datetimefield_value(timezone.make_aware(datetime.combine(first_late_day(info), time.min)))]
    n = _names()
    public, org_params = _public_docs_where(n, ctx)
    with connection.cursor() as cur:
        cur.execute(_late_sql(n, days, public), [*params, *org_params, ops.adapt_datetimefield_value(start)])
        rows = cur.fetchall()
    late = [(org_id, doc_id) for org_id, doc_id, unjudged in rows if not unjudged]
    unjudged = [doc_id for _, doc_id, flag in rows if flag]
    for chunk in range(0, len(unjudged), 500):
        for org_id, doc_id, info, published_at in (
                Document.objects.filter(id__in=unjudged[chunk:chunk + 500])
                .values_list("org_id", "id", "live_edition__info_date", "live_edition__published_at")):
            if local_date(published_at) >= first_late_day(info):
                late.append((org_id, doc_id))
    return _group_ids(late)


@register("blocking_findings", "复扫发现阻断性内容的已公开信息数")
def blocking_findings(ctx: Context, indicator) -> dict[int, Measured]:
    """Reads the re-scan state (`rescan.scan_pending` runs first): documents whose CURRENT live
    edition was found to contain blocking content."""
    rows = ScanState.objects.filter(blocking__gt=0, document__live_edition_id=F("edition_id"),
                                    document__withdrawn_at__isnull=True, document__removed_at__isnull=True)
    if not ctx.all_orgs:
        rows = rows.filter(org_id__in=ctx.orgs.values("id"))
    return _group_ids(rows.order_by("org_id", "document_id").values_list("org_id", "document_id"))


@register("overdue_applications", "已超过法定答复期限仍未办结的申请数")
def overdue_applications(ctx: Context, indicator) -> dict[int, Measured]:
    """Open applications 已超期 today, per receiving org — `disclosure.timeliness.overdue`, the one
    classification (a late extension does not undo it); SQL loads only its candidates."""
    from yangguang.disclosure import timeliness
    from yangguang.disclosure.models import Application

    found: dict[int, list[int]] = defaultdict(list)
    for row, _t in timeliness.overdue(Application.objects.filter(ctx.org_filter()), ctx.today):
        found[row.org_id].append(row.id)
    return {org: Measured(len(ids), {"applications": ids[:DETAIL_LIMIT]}) for org, ids in found.items()}


@register("publications", "统计期内新发布的信息数（供地方加分或数量要求使用）")
def publications(ctx: Context, indicator) -> dict[int, Measured]:
    rows = (Document.objects.filter(PUBLIC).filter(ctx.org_filter())
            .filter(first_published_at__gte=_window_start(ctx, indicator, default=30))
            .order_by().values("org_id").annotate(n=Count("id")))
    return {r["org_id"]: Measured(r["n"]) for r in rows}
