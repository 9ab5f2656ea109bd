"""Data checks of the statutory clock (`yangguang check-applications`).

The services now refuse an extension, consultation, fee notice or correction dated after the
deadline, and clock events dated before an earlier one (services.check_clock_date,
check_within_due). Data stored before that, imported, or written around the services may still
hold such rows. The clock already counts them right (clock.py: a late event does not move the
deadline, so the application stays overdue); this check lists them so that the office can see
and explain them:

- an event dated after the deadline as it stood that day (clock.Clock.late_events) — above all an
  extension approved after the due date (条例第33条第二款);
- an event recorded after another one but dated before it (events are registered in the order
  they happen), or dated before the receipt of the application;
- a pause that ends before it starts;
- an event dated after the application was closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core.workdays import Calendar

from . import clock, services
from .models import Application, ClockEvent
from .workflow import State

KIND_LABELS = dict(ClockEvent.Kind.choices)
PAUSES = (ClockEvent.Kind.CONSULTATION, ClockEvent.Kind.FEE)


@dataclass(frozen=True)
class Anomaly:
    application_id: int
    number: str
    org: str
    due: date | None  # the deadline the event came after, else the application's deadline
    kind: str  # the clock event's kind
    event_date: date
    problem: str
    late: bool = False  # dated after the deadline (not counted by the clock)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def _order_problems(received: date, closed: date | None, rows: list[tuple]) -> list[tuple[tuple, str]]:
    """Problems of one application's events in the order they were recorded (by id)."""
    found = []
    latest: date | None = None
    for row in rows:
        _id, kind, start, end, _days = row
        if kind == ClockEvent.Kind.ART35_DATE:  # its date is the deadline fixed, not a day it happened
            continue
        if start < received:
            found.append((row, _("早于收到申请之日（%(d)s）") % {"d": f"{received:%Y-%m-%d}"}))
        elif latest is not None and start < latest:
            found.append((row, _("早于此前已登记的期限事件之日（%(d)s），未按发生先后登记") % {"d": f"{latest:%Y-%m-%d}"}))
        if kind in PAUSES and end is not None and end < start:
            found.append((row, _("结束日期（%(d)s）早于开始日期") % {"d": f"{end:%Y-%m-%d}"}))
        if closed is not None and start > closed:
            found.append((row, _("晚于办结日期（%(d)s）") % {"d": f"{closed:%Y-%m-%d}"}))
        latest = start if latest is None else max(latest, start)
    return found


def clock_anomalies(queryset=None, *, calendar: Calendar | None = None, today: date | None = None) -> list[Anomaly]:
    """Every clock event out of order or after the deadline, over the applications of
    ``queryset`` (all by default), in application order."""
    calendar = calendar or Calendar.from_db()
    today = today or timezone.localdate()
    qs = Application.objects.all() if queryset is None else queryset
    qs = qs.filter(clock_events__isnull=False).distinct()
    apps = list(qs.order_by("org__path", "received_date", "id").values_list(
        "id", "number", "org__name", "received_date", "state", "closed_date"))
    events: dict[int, list[tuple]] = defaultdict(list)
    rows = ClockEvent.objects.filter(application__in=qs).order_by("application_id", "id").values_list(
        "application_id", "id", "kind", "start", "end", "days")
    for app_id, *row in rows:
        events[app_id].append(tuple(row))
    pause = services.fee_pause_setting()
    found: list[Anomaly] = []
    for app_id, number, org, received, state, closed_date in apps:
        mine = events.get(app_id, [])
        closed = closed_date if state == State.CLOSED else None
        c = clock.compute(received, [clock.Event(k, s, e, d) for _i, k, s, e, d in mine], calendar, today,
                          fee_pause=pause, closed=closed)
        for late in c.late_events:
            e = late.event
            what = (_("批准延期晚于答复期限（%(due)s），申请当时已超期（条例第33条第二款）")
                    if e.kind == clock.EXTENSION else _("晚于答复期限（%(due)s），申请当时已超期")) \
                % {"due": f"{late.due:%Y-%m-%d}"}
            found.append(Anomaly(app_id, number, org, late.due, e.kind, e.start, what, late=True))
        for row, problem in _order_problems(received, closed, mine):
            found.append(Anomaly(app_id, number, org, c.due, row[1], row[2], problem))
    return found
