"""The statutory clock of an application, derived from its history (spec/disclosure.md "The clock").

A thin adapter over the one clock engine, `yangguang.core.clock` (issue #16): this module supplies
依申请公开's limit (20 working days, 条例第33条第二款), its event kinds mapped onto the engine's, and
the wording of the explanation lines with their legal citations; the engine does the counting.

Nothing here is stored: the due date is recomputed from the receipt date and the dated clock
events on every read, on the official calendar. Pure functions; the caller passes the calendar.

Lateness is part of the history, never undone (条例第33条第二款: an extension is approved and told
to the applicant within the reply period; `core.clock.may_extend`). Events are applied in date order
against the due date as it stood that day; an event dated after that due date — an extension
approved, a consultation or fee notice sent, a correction requested once the application was
already overdue — does not move the date. Such events end up in ``Clock.late_events`` (the data
check lists them), and the application stays overdue from ``Clock.overdue_since`` on, whatever is
recorded afterwards.

For the shared figures (yangguang/disclosure/timeliness.py) the clock exposes:

- ``compute(received, events, calendar, today, closed=…)`` → ``Clock``; for a closed application
  pass its closed date as ``closed``: the clock is then read as of that day (``Clock.as_of``);
- ``Clock.due`` — the reply deadline (None while waiting for the applicant's correction);
- ``Clock.overdue_since(calendar)`` — the first day the application was past its deadline
  (the day after ``due``), or None if it never was, as of ``as_of``;
- ``Clock.is_late(calendar)`` — open: overdue today (已超期); closed: closed late (逾期答复);
- ``Clock.light(calendar, today)`` — the open application's traffic light.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date

from yangguang.core import clock as engine
from yangguang.core.workdays import Calendar

# The numbers, with their legal sources, live in law.py.
from .law import DUE_SOON_DAYS, EXTENSION_MAX_DAYS, REPLY_DAYS, THIRD_PARTY_DAYS

__all__ = ["DUE_SOON_DAYS", "EXTENSION_MAX_DAYS", "REPLY_DAYS", "THIRD_PARTY_DAYS", "Clock", "Event", "compute",
           "due_on"]

CORRECTION_REQUESTED = "correction_requested"
CORRECTION_RECEIVED = "correction_received"
CONSULTATION = "consultation"
EXTENSION = "extension"
FEE = "fee"
ART35_DATE = "art35_date"
PAUSES = (CONSULTATION, FEE)

# 条例第33条第二款: 20 working days from the receipt date (条例第31条).
LIMIT = engine.Limit(REPLY_DAYS, engine.WORKING, "条例第33条第二款")
RULES = engine.Rules(due_soon_days=DUE_SOON_DAYS)
KINDS = {CORRECTION_REQUESTED: engine.WAIT, CORRECTION_RECEIVED: engine.RESTART, CONSULTATION: engine.PAUSE,
         FEE: engine.PAUSE, EXTENSION: engine.EXTENSION, ART35_DATE: engine.FIXED}
WORDING = engine.Wording(
    start="收到申请之日：{start}（条例第31条）",
    base="自{start}次日起{days}{unit}（{source}）→ {due}",
    waiting="{date} 告知补正（条例第30条）{period}；收到补正后重新计算答复期限",
    waiting_period="，补正期限至{end}",
    late_wait="{date} 告知补正：已超过答复期限{due}，不重新计算期限（条例第30条、第33条）",
    restart="{date} 收到补正，答复期限自该日起重新计算（条例第30条）",
    extension="{date} 批准延期{days}{unit}（条例第33条第二款）→ {due}",
    late_extension="{date} 批准延期{days}{unit}：批准时答复期限（{due}）已过，申请已超期，延期不予计算（条例第33条第二款）",
    pause="{date} 至 {end}{state} {what}：{days}{unit}不计入 → {due}",
    late_pause="{date} {what}：已超过答复期限{due}，不再暂停计算",
    running="（进行中，计至今日）",
    running_closed="（未结束，计至办结之日）",
    expired="（未答复，{days}{unit}期满）",
    fixed="依条例第35条另行确定并告知申请人的答复期限 → {due}",
    provisional="（暂定：计算所涉年份的节假日安排尚未录入，录入后自动重算）",
    labels={CONSULTATION: "征求第三方意见（条例第32条、第33条第三款）", FEE: "收费通知至缴费（国办函〔2020〕109号）"},
)


@dataclass(frozen=True)
class Event:
    kind: str
    start: date
    end: date | None = None
    days: int | None = None


@dataclass(frozen=True)
class LateEvent:
    """A clock event dated after the due date as it stood that day: recorded, but not counted."""

    event: Event
    due: date  # the due date it came after


@dataclass
class Clock(engine.Reading):
    """The engine's reading (`core.clock.Reading`: due, remaining, light, overdue_since, is_late, lines,
    late_events with this module's `Event`s, paused_now, …) under the names of 依申请公开."""

    @property
    def awaiting_correction(self) -> bool:
        return self.waiting


def to_engine(events: Iterable[Event], *, fee_pause: bool = True) -> list[engine.Event]:
    """The application's events as engine events (a fee notice is no pause when `fee_pause` is off)."""
    out = []
    for e in events:
        kind = KINDS.get(e.kind)
        if kind is None or (e.kind == FEE and not fee_pause):
            continue
        days = THIRD_PARTY_DAYS if e.kind == CONSULTATION else e.days if e.kind == EXTENSION else None
        out.append(engine.Event(kind, e.start, e.end, days, tag=e.kind, ref=e))
    return out


def known_on(events: Iterable[Event], day: date) -> list[Event]:
    """The events as the system knew them on ``day`` (``core.clock.known_on``): those dated on or
    before it; a consultation or fee pause whose end was recorded after ``day`` was still running then."""
    known = engine.known_on(to_engine(events), day)
    return [replace(k.ref, end=k.end) if k.ref.end != k.end else k.ref for k in known]


def compute(received: date, events: Iterable[Event], calendar: Calendar, today: date, *,
            fee_pause: bool = True, closed: date | None = None) -> Clock:
    """The clock from the receipt date and the clock events, read as of ``closed`` if the
    application is closed, else ``today``. Events are applied in date order; one dated after the
    due date of its day is listed in ``late_events`` and does not move the date."""
    r = engine.read(received, LIMIT, to_engine(events, fee_pause=fee_pause), calendar, today, rules=RULES,
                    wording=WORDING, closed=closed)
    c = Clock(**{f.name: getattr(r, f.name) for f in fields(r)})
    c.late_events = [LateEvent(late.event.ref, late.due) for late in r.late_events]
    return c


def due_on(received: date, events: Iterable[Event], calendar: Calendar, day: date, *,
           fee_pause: bool = True) -> date | None:
    """The due date as it stands on ``day`` (events dated after ``day`` ignored): what a clock
    action dated ``day`` is checked against (an extension must be approved on or before it:
    ``core.clock.may_extend``)."""
    return engine.due_on(received, LIMIT, to_engine(events, fee_pause=fee_pause), calendar, day, rules=RULES)
