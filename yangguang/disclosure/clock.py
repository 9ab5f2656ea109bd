"""The statutory clock of an application, derived from its history (spec/disclosure.md "The clock").

Nothing here is stored: the due date is recomputed from the receipt date and the dated clock
events on every read, on the official calendar. Pure functions; the caller passes the calendar.

Lateness is part of the history, never undone (条例第33条第二款: an extension is approved and told
to the applicant within the reply period). Events are applied in date order against the due date
as it stood that day; an event dated after that due date — an extension approved, a consultation
or fee notice sent, a correction requested once the application was already overdue — does not
move the date. Such events end up in ``Clock.late_events`` (the data check lists them), and the
application stays overdue from ``Clock.overdue_since`` on, whatever is recorded afterwards.

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
from dataclasses import dataclass, field
from datetime import date, timedelta

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
class Clock:
    start: date  # the day the 20 working days count from (receipt, or receipt of the correction)
    due: date | None  # None while waiting for a correction
    provisional: bool = False
    paused_now: bool = False
    awaiting_correction: bool = False
    extension_days: int = 0  # counted extensions only
    paused_days: int = 0
    lines: list[str] = field(default_factory=list)
    as_of: date | None = None  # the day the clock was read: today, or the closed date
    closed: date | None = None  # the closed date of a closed application
    late_events: list[LateEvent] = field(default_factory=list)

    def remaining(self, calendar: Calendar, today: date) -> int | None:
        """Working days left until the due date (negative: overdue by that many)."""
        if self.due is None:
            return None
        if today <= self.due:
            return calendar.count_working_days(today, self.due)
        return -calendar.count_working_days(self.due, today)

    def light(self, calendar: Calendar, today: date) -> str:
        """green / yellow (≤ DUE_SOON_DAYS left) / red (due today) / overdue; paused while paused."""
        if self.awaiting_correction:
            return "paused"
        left = self.remaining(calendar, today)
        if left is None:
            return "paused"
        if left < 0 or today > self.due:  # the weekend after a Friday deadline is already past it
            return "overdue"
        if self.paused_now:  # a running consultation or fee pause: the clock stands still (timeliness agrees)
            return "paused"
        if today == self.due or left == 0:
            return "red"
        return "yellow" if left <= DUE_SOON_DAYS else "green"

    def overdue_since(self, calendar: Calendar) -> date | None:
        """The first day the application was overdue — the day after the due date, a working day
        or not (the same boundary as ``light``'s "overdue"; a reply dated the Saturday after a
        Friday deadline is late, as an extension that day is refused) — if that day has come by
        ``as_of`` (today, or the closed date); else None. Derived from the history: later events
        never undo it."""
        if self.due is None:
            return None
        first = self.due + timedelta(days=1)
        return first if self.as_of is not None and first <= self.as_of else None

    def is_late(self, calendar: Calendar) -> bool:
        """Open: past its deadline today (已超期). Closed: closed after its deadline (逾期答复)."""
        return self.overdue_since(calendar) is not None


def _fmt(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def compute(received: date, events: Iterable[Event], calendar: Calendar, today: date, *,
            fee_pause: bool = True, closed: date | None = None) -> Clock:
    """The clock from the receipt date and the clock events, read as of ``closed`` if the
    application is closed, else ``today``. Events are applied in date order; one dated after the
    due date of its day is listed in ``late_events`` and does not move the date."""
    as_of = closed if closed is not None else today
    events = sorted(events, key=lambda e: (e.start, e.kind))
    lines = [f"收到申请之日：{_fmt(received)}（条例第31条）"]
    late: list[LateEvent] = []
    start = received
    first_due = calendar.add_working_days(received, REPLY_DAYS).date
    requests = []
    for e in events:
        if e.kind != CORRECTION_REQUESTED:
            continue
        if e.start > first_due:
            late.append(LateEvent(e, first_due))
            lines.append(f"{_fmt(e.start)} 告知补正：已超过答复期限{_fmt(first_due)}，不重新计算期限（条例第30条、第33条）")
        else:
            requests.append(e)
    if requests:
        last = requests[-1]
        answered = [e for e in events if e.kind == CORRECTION_RECEIVED and e.start >= last.start]
        if not answered:
            period = f"，补正期限至{_fmt(last.end)}" if last.end else ""
            lines.append(f"{_fmt(last.start)} 告知补正（条例第30条）{period}；收到补正后重新计算答复期限")
            return Clock(start=received, due=None, awaiting_correction=True, lines=lines, as_of=as_of,
                         closed=closed, late_events=late)
        start = answered[0].start
        lines.append(f"{_fmt(answered[0].start)} 收到补正，答复期限自该日起重新计算（条例第30条）")

    base = calendar.add_working_days(start, REPLY_DAYS)
    provisional = base.provisional
    due = base.date
    lines.append(f"自{_fmt(start)}次日起{REPLY_DAYS}个工作日（条例第33条第二款）→ {_fmt(due)}")
    paused_total = ext = 0
    paused_now = False
    running = "（进行中，计至今日）" if closed is None else "（未结束，计至办结之日）"
    for e in events:
        if e.kind == EXTENSION and e.days:
            if e.start > due:
                late.append(LateEvent(e, due))
                lines.append(f"{_fmt(e.start)} 批准延期{e.days}个工作日：批准时答复期限（{_fmt(due)}）已过，"
                             "申请已超期，延期不予计算（条例第33条第二款）")
                continue
            moved = calendar.add_working_days(due, e.days)
            provisional |= moved.provisional
            due = moved.date
            ext += e.days
            lines.append(f"{_fmt(e.start)} 批准延期{e.days}个工作日（条例第33条第二款）→ {_fmt(due)}")
            continue
        if e.kind not in PAUSES or (e.kind == FEE and not fee_pause):
            continue
        what = "征求第三方意见（条例第32条、第33条第三款）" if e.kind == CONSULTATION else "收费通知至缴费（国办函〔2020〕109号）"
        if e.start > due:  # a pause that begins after the deadline cannot revive it
            late.append(LateEvent(e, due))
            lines.append(f"{_fmt(e.start)} {what}：已超过答复期限{_fmt(due)}，不再暂停计算")
            continue
        state = ""
        if e.end is not None:
            end = e.end
        elif e.kind == CONSULTATION:
            limit = calendar.add_working_days(e.start, THIRD_PARTY_DAYS)
            provisional |= limit.provisional
            if limit.date <= as_of:
                end, state = limit.date, f"（未答复，{THIRD_PARTY_DAYS}个工作日期满）"
            else:
                end, state, paused_now = as_of, running, closed is None
        else:
            end, state, paused_now = as_of, running, closed is None
        days = calendar.count_working_days(e.start, end)
        if days:
            moved = calendar.add_working_days(due, days)
            provisional |= moved.provisional
            due = moved.date
        paused_total += days
        lines.append(f"{_fmt(e.start)} 至 {_fmt(end)}{state} {what}：{days}个工作日不计入 → {_fmt(due)}")
    art35 = [e for e in events if e.kind == ART35_DATE]
    if art35:
        due = art35[-1].start
        lines.append(f"依条例第35条另行确定并告知申请人的答复期限 → {_fmt(due)}")
    if provisional:
        lines.append("（暂定：计算所涉年份的节假日安排尚未录入，录入后自动重算）")
    return Clock(start=start, due=due, provisional=provisional, paused_now=paused_now,
                 extension_days=ext, paused_days=paused_total, lines=lines, as_of=as_of, closed=closed,
                 late_events=late)


def due_on(received: date, events: Iterable[Event], calendar: Calendar, day: date, *,
           fee_pause: bool = True) -> date | None:
    """The due date as it stands on ``day`` (events dated after ``day`` ignored): what a clock
    action dated ``day`` is checked against (an extension must be approved on or before it)."""
    earlier = [e for e in events if e.start <= day]
    return compute(received, earlier, calendar, day, fee_pause=fee_pause).due
