"""One classification of an application's timeliness, and the counts every view shows.

The workbench, the supervisor's overview and dashboard, the monthly bulletins, the monitoring
indicator "依申请公开逾期未答复", the due-date alerts and the annual report all ask this module —
never `Clock.light` or a date comparison of their own — so a figure cannot differ between them.

At a date `at`, an application received by then is either

- open (not closed on or before `at`): 正常 / 临近期限 (≤ law.DUE_SOON_DAYS working days left while
  the clock runs, the due day included) / 已超期; or
- closed: 按期答复 / 逾期答复.

The due date and lateness are the clock's (`clock.compute`: receipt or correction + 20 working days,
pauses, extensions, 第35条; spec/disclosure.md "The clock"), on the official calendar, and so is the
status: `clock.compute` is the adapter of the one engine `core.clock` (issue #16), whose
`Reading.status` this module labels; it adds no date arithmetic of its own. `classify` reads one
application, `classify_many` many on one memoised calendar — the same computation item by item.

**Late stays late.** 条例第33条第二款 allows an extension only within the reply period. The clock
applies events in date order against the due date as it stood that day: one dated after it (an
extension, a pause, a correction request) does not move the date, so data stored before the services
refused such events (e.g. due 2026-11-25, extension recorded 2026-12-02) keeps its deadline, and
`Clock.overdue_since` — the day after the due date, once it has come — makes it 已超期
while open and 逾期答复 once closed. Asked about a past day, the clock is read with the events known
that day (a pause whose end was recorded later was still running).

Overdue means at least one working day past the due date (`Clock.remaining` < 0, as the 第26条 check
of `publishing.timeliness`): a reply on the Saturday after a Friday due date is not late.

For the counts over a region (thousands of open applications, 50,000 a year at reference scale),
`may_be_overdue_q` is the SQL side of the same definition: a superset filter (no application outside
it can be overdue, proved in its docstring and tested against the Python classification), used to
load only the candidates before classifying them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yangguang.core import clock as engine
from yangguang.core.workdays import Calendar

from . import clock


class Status(TextChoices):  # the engine's statuses (`core.clock.Reading.status`), with their labels
    NORMAL = engine.NORMAL, _("正常")
    DUE_SOON = engine.DUE_SOON, _("临近期限")
    OVERDUE = engine.OVERDUE, _("已超期")
    ON_TIME = engine.ON_TIME, _("按期答复")
    LATE = engine.LATE, _("逾期答复")


OPEN_STATUSES = (Status.NORMAL, Status.DUE_SOON, Status.OVERDUE)
CLOSED_STATUSES = (Status.ON_TIME, Status.LATE)

# The traffic light of the staff pages and the alerts (the CSS classes light--<name>).
OVERDUE, RED, YELLOW, PAUSED, GREEN = engine.OVERDUE, engine.RED, engine.YELLOW, engine.PAUSED, engine.GREEN


# The calendar memoised for one pass over many applications (`core.clock.MemoCalendar`).
MemoCalendar = engine.MemoCalendar


def memo(calendar: Calendar | MemoCalendar | None) -> MemoCalendar:
    if isinstance(calendar, MemoCalendar):
        return calendar
    return MemoCalendar(calendar or Calendar.from_db())


@dataclass(frozen=True, slots=True)
class Timeliness:
    """Where one application stands at `at`."""

    status: str  # a Status value
    at: date
    due: date | None  # the due date as of `at` (or of the closing day); None while awaiting a correction
    remaining: int | None  # open: working days left at `at` (negative: overdue by that many); closed: None
    overdue_since: date | None  # the day after a due date, if that day came by `at`/closure
    paused: bool = False  # open, and the clock stands still today (correction, consultation, fee)
    provisional: bool = False  # the due date lies in a year whose holidays are not loaded (暂定)
    closed_on: date | None = None

    @property
    def label(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def light(self) -> str:
        """overdue / red (due today) / yellow (due soon) / paused / green for open applications, "" for
        closed ones: the badge of the staff pages, derived from the status (never from the clock alone)."""
        if self.status == Status.OVERDUE:
            return OVERDUE
        if self.status == Status.DUE_SOON:
            return RED if self.remaining == 0 else YELLOW
        if self.status == Status.NORMAL:
            return PAUSED if self.paused else GREEN
        return ""


def _known(events: Iterable[clock.Event], day: date) -> list[clock.Event]:
    """The events as the system knew them on `day` (`clock.known_on`)."""
    return clock.known_on(events, day)


def classify(received: date, events: Iterable[clock.Event], calendar, at: date, *,
             closed_on: date | None = None, fee_pause: bool = True) -> Timeliness:
    """THE classification of one application at `at` (received on or before `at`). `closed_on`: the
    closing day, if closed; a closing after `at` is not known at `at`, so the application is open then.
    The clock is read as the system knew it on `at` (or on the closing day): events recorded later
    are not yet there. The status is the engine's (`core.clock.Reading.status`); no date arithmetic here."""
    closed = closed_on is not None and closed_on <= at
    day = closed_on if closed else at
    c = clock.compute(received, _known(events, day), calendar, day, fee_pause=fee_pause,
                      closed=closed_on if closed else None)
    since = c.overdue_since(calendar)  # late stays late: events after a lapse never moved the date
    status = c.status(calendar)
    if closed:
        return Timeliness(status, at, c.due, None, since, provisional=c.provisional, closed_on=closed_on)
    return Timeliness(status, at, c.due, c.remaining(calendar, at), since, paused=c.stands_still,
                      provisional=c.provisional)


def classify_many(items: Iterable[tuple[date, Iterable[clock.Event], date | None]], at: date | None = None, *,
                  calendar=None, fee_pause: bool | None = None) -> list[Timeliness]:
    """The bulk twin of `classify`: each (received, events, closed_on) classified at `at` on ONE
    memoised calendar — item by item the same computation, so a count can never differ from the
    single reading."""
    at = at or timezone.localdate()
    pause = fee_pause_setting() if fee_pause is None else fee_pause
    cal = memo(calendar)
    return [classify(received, events, cal, at, closed_on=closed_on, fee_pause=pause)
            for received, events, closed_on in items]


def fee_pause_setting() -> bool:
    from django.conf import settings

    from .law import FEE_PAUSE_DEFAULT

    return getattr(settings, "DISCLOSURE_FEE_PAUSE", FEE_PAUSE_DEFAULT)


def events_of(app) -> list[clock.Event]:
    return [clock.Event(e.kind, e.start, e.end, e.days) for e in app.clock_events.all()]


def of(app, at: date | None = None, *, calendar=None, fee_pause: bool | None = None) -> Timeliness:
    """The classification of one `Application` (today by default)."""
    at = at or timezone.localdate()
    pause = fee_pause_setting() if fee_pause is None else fee_pause
    closed_on = app.closed_date or (at if app.state == "closed" else None)  # no recorded day: closed by `at`
    return classify(app.received_date, events_of(app), memo(calendar), at, closed_on=closed_on, fee_pause=pause)


# --- many applications at once ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One application as the batch functions load it (one query)."""

    id: int
    number: str
    org_id: int  # the receiving org (受理机关): the org every count is credited to
    department_id: int  # the handling department: assigned_org, else the receiving org
    handler_id: int | None
    state: str
    received: date
    closed: date | None


def open_at_q(at: date) -> Q:
    """Received by `at` and not closed by then (SQL side of `classify`'s open/closed split)."""
    return Q(received_date__lte=at) & ((Q(closed_date__isnull=True) & ~Q(state="closed")) | Q(closed_date__gt=at))


def closed_between_q(start: date, at: date) -> Q:
    return Q(received_date__lte=at, closed_date__gte=start, closed_date__lte=at)


def latest_receipt_that_can_be_overdue(at: date, calendar) -> date | None:
    """The last receipt date whose plain 20-working-day deadline (条例第33条) is at least one working
    day before `at`. None when `at` is too early for any (`core.clock.Limit.latest_start_due_before`)."""
    return clock.LIMIT.latest_start_due_before(at, calendar)


def may_be_overdue_q(at: date, calendar=None) -> Q:
    """SQL superset of the applications that can be overdue at `at` or closed late by `at`.

    The clock's due date is never earlier than 20 working days from the receipt date: a correction
    restarts the count later, pauses and extensions only move it later. Only a 第35条 date replaces
    it outright (it should be later, but stored data may say otherwise). So an application received
    after `latest_receipt_that_can_be_overdue(at)` without a 第35条 event cannot be overdue at `at`.
    `classify` decides among the candidates; tests check that nothing outside the filter is overdue."""
    from .models import ClockEvent

    art35 = Exists(ClockEvent.objects.filter(application=OuterRef("pk"), kind=ClockEvent.Kind.ART35_DATE))
    calendar = calendar or Calendar.from_db()
    # Overdue from the day after the due date, working day or not (clock.overdue_since): on a Saturday
    # an application due the Friday before is overdue. The bound below is for deadlines before a
    # working day, so ask it for the next working day after `at` (a superset: classify decides).
    nxt = engine.next_working_day(calendar, at + timedelta(days=1))
    latest = latest_receipt_that_can_be_overdue(nxt, calendar)
    return art35 if latest is None else (Q(received_date__lte=latest) | art35)


def chunk_size() -> int:
    # SQLite counts every IN (…) value as a parameter (999 in older builds); PostgreSQL has no such cap.
    return min(connection.features.max_query_params or 5000, 5000)


def load(queryset) -> tuple[list[Row], dict[int, list[clock.Event]]]:
    """The applications of `queryset` as rows and their clock events by application id: one query
    for the applications, one per chunk of ids for the events (only of applications that have any)."""
    from .models import ClockEvent

    rows = [Row(i, n, o, a or o, h, s, r, c) for i, n, o, a, h, s, r, c in queryset.order_by("id").values_list(
        "id", "number", "org_id", "assigned_org_id", "handler_id", "state", "received_date", "closed_date")]
    events: dict[int, list[clock.Event]] = defaultdict(list)
    ids = [r.id for r in rows]
    step = chunk_size()
    for start in range(0, len(ids), step):
        for app_id, kind, begin, end, days in (
                ClockEvent.objects.filter(application_id__in=ids[start:start + step]).order_by()
                .values_list("application_id", "kind", "start", "end", "days")):
            events[app_id].append(clock.Event(kind, begin, end, days))
    return rows, events


def classify_all(queryset, at: date | None = None, *, closed_from: date | None = None, calendar=None,
                 fee_pause: bool | None = None, only_candidates: bool = False) -> list[tuple[Row, Timeliness]]:
    """Every application of `queryset` open at `at`, and (with `closed_from`) those closed between
    `closed_from` and `at`, each with its classification — on ONE calendar and ONE `at`.
    `only_candidates`: load only `may_be_overdue_q` (for counting overdue/late at scale; the
    normal/due-soon/on-time figures are then incomplete)."""
    at = at or timezone.localdate()
    pause = fee_pause_setting() if fee_pause is None else fee_pause
    cal = memo(calendar)
    scope = open_at_q(at)
    if closed_from is not None:
        scope |= closed_between_q(closed_from, at)
    qs = queryset.filter(scope)
    if only_candidates:
        qs = qs.filter(may_be_overdue_q(at, cal))
    rows, events = load(qs)
    none: list[clock.Event] = []
    found = classify_many(((row.received, events.get(row.id, none), row.closed) for row in rows), at,
                          calendar=cal, fee_pause=pause)
    return list(zip(rows, found, strict=True))


@dataclass
class Counts:
    """How many applications in each class (and, for convenience, the open ones whose clock stands still)."""

    normal: int = 0
    due_soon: int = 0
    overdue: int = 0
    on_time: int = 0
    late: int = 0
    paused: int = 0  # included in `normal`
    ids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False, compare=False)

    def add(self, t: Timeliness, app_id: int | None = None) -> None:
        setattr(self, t.status, getattr(self, t.status) + 1)
        self.paused += t.paused
        if app_id is not None:
            self.ids[t.status].append(app_id)

    @property
    def open(self) -> int:
        return self.normal + self.due_soon + self.overdue

    @property
    def closed(self) -> int:
        return self.on_time + self.late

    def as_dict(self) -> dict[str, int]:
        return {s: getattr(self, s) for s in Status.values} | {"paused": self.paused}


def count(queryset, at: date | None = None, *, by: str | None = "org_id", closed_from: date | None = None,
          calendar=None, fee_pause: bool | None = None, only_candidates: bool = False) -> dict:
    """Counts per `by` (a `Row` attribute: "org_id", "department_id", "handler_id"; None: one total
    under the key None) of the applications `classify_all` selects."""
    out: dict = defaultdict(Counts)
    for row, t in classify_all(queryset, at, closed_from=closed_from, calendar=calendar, fee_pause=fee_pause,
                               only_candidates=only_candidates):
        out[getattr(row, by) if by else None].add(t, row.id)
    return dict(out)


def overdue(queryset, at: date | None = None, *, calendar=None, fee_pause: bool | None = None
            ) -> list[tuple[Row, Timeliness]]:
    """The applications of `queryset` open and overdue at `at`: loads only the SQL candidates."""
    return [(row, t) for row, t in classify_all(queryset, at, calendar=calendar, fee_pause=fee_pause,
                                                only_candidates=True) if t.status == Status.OVERDUE]
