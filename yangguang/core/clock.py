"""ONE clock engine for every statutory or promised time limit (issue #16).

A time limit is never stored: it is derived, on every read, from a start date, a limit and the
dated events of the item's history, on the official calendar (`core.workdays.Calendar`). This module
is app-agnostic — it imports no app. Each app supplies, as data,

- its limit(s): `Limit(days, unit, source)` — N working days (《民法典》第二百零一条: the start day is
  not counted, "N working days from D" is the N-th working day strictly after D), or N calendar days
  rolled past non-working days onto the next working day (《民法典》第二百零三条);
- its `Rules` (the due-soon threshold; for extensions the approving roles and the caps);
- its `Wording`: the templates of the explanation lines, with its own labels and legal citations;
- its events, mapped onto the five engine kinds below (`Event.tag` keeps the app's own kind: it
  orders same-day events and picks the label; `Event.ref` keeps the app's own event object, so a
  late event can be handed back as the app knows it).

The engine kinds:

- ``PAUSE``     — days between ``start`` and ``end`` are not counted (征求第三方意见, 收费通知至缴费,
  特别程序, 待来信人补充). An open pause (``end`` None) runs to the reading day; with ``days`` set it ends
  by itself after that many working days (the third party's 15 working days, 条例第32条).
- ``WAIT``      — waiting for the applicant (告知补正, 补正告知): no due date until a ``RESTART``.
- ``RESTART``   — the limit counts again, in full, from this date (补正材料收到). A restart counts
  only as the answer to a wait dated on or before it; a restart with no wait before it is ignored.
- ``EXTENSION`` — approved on ``start`` for ``days`` (延期), by ``role``.
- ``FIXED``     — the due date is replaced by ``start`` (条例第35条: a later date fixed and notified).

How the reading is built (`read`):

1. Waits are checked against the plain limit from the start date; the latest timely wait that
   has no restart on or after it leaves the item waiting (no due date); otherwise the count
   starts again from the first restart after the latest wait.
2. Pauses and extensions are applied in date order against the due date as it stood that day. A
   pause moves the due date by the units it covered, and never to a day before the pause's end
   (a pause begun on the due date and ending on a holiday: the next working day).
   **Late stays late**: an event dated after that due date is recorded (`Reading.late_events`, with
   the due date it came after) but does not move it, so the item stays overdue from
   `Reading.overdue_since` on, whatever is recorded afterwards.
3. A fixed date replaces the due date (the latest one).

**The extension rule** (`may_extend`): an extension must be approved on or before the current due
date — the due date as it stands on the approval day (`due_on`). Once that date has passed the item
is overdue and an extension is refused (services) or, if stored anyway, not counted (here).

How a new app uses it (letters: 5 or 10 working days from acceptance, 待补充 paused, one extension
of at most 10 working days approved by the org's leader; service cases: promised and legal limits,
special procedures paused, +10 日 by the org's head, deemed acceptance)::

    from yangguang.core import clock

    LETTER_LIMIT = clock.Limit(10, source="本信箱办理规则")
    LETTER_RULES = clock.Rules(due_soon_days=2, extension_roles=frozenset({"leader"}),
                               max_extensions=1, max_extension_days=10)
    LETTER_WORDING = clock.Wording(start="受理之日：{start}", labels={"awaiting_writer": "待来信人补充"})

    events = [clock.Event(clock.PAUSE, e.start, e.end, tag="awaiting_writer") for e in pauses]
    events += [clock.Event(clock.EXTENSION, x.approved, days=x.days, role=x.role, tag="extension")]
    r = clock.read(letter.accepted_on, LETTER_LIMIT, events, Calendar.from_db(), today,
                   rules=LETTER_RULES, wording=LETTER_WORDING, closed=letter.closed_on)
    r.due, r.light(cal, today), r.remaining(cal, today), r.is_late(), r.lines

A service case reads the same history twice, with its promised and its legal limit (two `read`
calls). Deemed acceptance (行政许可法第32条: no notice within 5 日 counts as acceptance) is
``clock.read(received, Limit(5), [], cal, today).overdue_since()``: once that day has come the
case is accepted, dated the receipt day. Before acting, a service asks `due_on(…, day)` and
`may_extend(day, due)`. For many items at once, share one `MemoCalendar` over the pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

__all__ = ["CALENDAR", "EXTENSION", "FIXED", "PAUSE", "RESTART", "WAIT", "WORKING", "Event", "LateEvent",
           "Limit", "MemoCalendar", "Reading", "Rules", "Wording", "due_on", "known_on", "may_extend",
           "next_working_day", "read"]

WORKING = "working"  # N working days on the official calendar
CALENDAR = "calendar"  # N calendar days, the last one rolled onto the next working day

PAUSE, WAIT, RESTART, EXTENSION, FIXED = "pause", "wait", "restart", "extension", "fixed"

# Lights (the CSS classes light--<name>) and statuses.
GREEN, YELLOW, RED, OVERDUE, PAUSED = "green", "yellow", "red", "overdue", "paused"
# Where an item stands (`Reading.status`): open — normal / due soon / overdue; closed — on time / late.
NORMAL, DUE_SOON, ON_TIME, LATE = "normal", "due_soon", "on_time", "late"

ONE_DAY = timedelta(days=1)


def _fmt(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def next_working_day(calendar, d: date) -> date:
    """`d` itself if it is a working day, else the first working day after it."""
    while not calendar.is_working_day(d):
        d += ONE_DAY
    return d


# --- the limit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """N working days, or N calendar days (the end rolled onto the next working day), with its source."""

    days: int
    unit: str = WORKING
    source: str = ""  # the legal source, e.g. "条例第33条第二款"

    @property
    def unit_label(self) -> str:
        return "个工作日" if self.unit == WORKING else "日"

    def add(self, start: date, n: int, calendar) -> tuple[date, bool]:
        """(the day `n` units after `start`, provisional). Working days: `Calendar.add_working_days`
        (the N-th working day strictly after `start`; n == 0 is `start`). Calendar days: `start` + n,
        rolled onto the next working day if that is not one (《民法典》第二百零三条)."""
        if self.unit == WORKING:
            r = calendar.add_working_days(start, n)
            return r.date, r.provisional
        d = start + timedelta(days=n)
        provisional = calendar.info(d).provisional
        if n:
            while not calendar.is_working_day(d):
                d += ONE_DAY
                provisional |= calendar.info(d).provisional
        return d, provisional

    def end(self, start: date, calendar) -> tuple[date, bool]:
        """The plain due date: `days` units from `start`, and whether it is provisional."""
        return self.add(start, self.days, calendar)

    def count(self, start: date, end: date, calendar) -> int:
        """Units in (start, end]: working days, or calendar days. 0 if end <= start."""
        if self.unit == WORKING:
            return calendar.count_working_days(start, end)
        return max((end - start).days, 0)

    def first_late_day(self, start: date, calendar) -> date:
        """The first day at least one unit past the plain due date (`Reading.days_late` ≥ 1): for
        working days the next working day after it — an act on the weekend after a Friday due date
        is not yet a working day late (条例第26条's publication check)."""
        due, _p = self.end(start, calendar)
        return calendar.add_working_days(due, 1).date if self.unit == WORKING else due + ONE_DAY

    def latest_start_due_before(self, day: date, calendar) -> date | None:
        """The last start date whose plain due date is at least one working day before `day`
        (working-day limits; calendar-day limits fall back to a safe bound). None when `day` is too
        early for any. The SQL superset filters of the bulk counts are built on it: events only move
        a due date later (pauses, extensions, restarts), except a `FIXED` date."""
        last = day
        try:
            while not calendar.is_working_day(last):  # L: the last working day on or before `day`
                last -= ONE_DAY
            if self.unit != WORKING:  # due = roll(start + n) < L  ⇒  start + n < L
                return last - timedelta(days=self.days + 1)
            # add_working_days(r, n) < L  ⇔  r < W, W the n-th working day before L.
            d, counted = last, 0
            while counted < self.days:
                d -= ONE_DAY
                counted += calendar.is_working_day(d)
            return d - ONE_DAY
        except OverflowError:
            return None


# --- events, rules, wording -----------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str  # PAUSE, WAIT, RESTART, EXTENSION or FIXED
    start: date  # the day it happened (approval day of an extension; the fixed date itself for FIXED)
    end: date | None = None  # PAUSE: its end (None: running); WAIT: the period given to the applicant
    days: int | None = None  # EXTENSION: days granted; PAUSE: automatic end after that many working days
    role: str = ""  # EXTENSION: the approving role
    tag: str = ""  # the app's own kind: orders same-day events, picks the label
    ref: Any = field(default=None, compare=False)  # the app's own event object

    @property
    def order(self) -> tuple[date, str]:
        return (self.start, self.tag or self.kind)


@dataclass(frozen=True)
class LateEvent:
    """An event dated after the due date as it stood that day: recorded, but not counted."""

    event: Event
    due: date  # the due date it came after


@dataclass(frozen=True)
class Rules:
    due_soon_days: int = 5  # yellow when at most this many units are left
    due_soon_share: float | None = None  # …or at most this share of the limit (services: 0.2)
    extension_roles: frozenset[str] | None = None  # None: any role may approve
    max_extensions: int | None = None  # None: no cap on the number
    max_extension_days: int | None = None  # None: no cap on the total


@dataclass(frozen=True)
class Wording:
    """The explanation lines, as templates. Fields: {date} the event's day, {due} the due date after
    the event (or the one a late event came after), {days}, {unit}, {start}, {end}, {what} the event's
    label (`labels[tag]`), {state}, {period}, {source} the limit's legal source, {role}."""

    start: str = "起算日：{start}"
    base: str = "自{start}次日起{days}{unit}（{source}）→ {due}"
    waiting: str = "{date} {what}{period}；收到后重新计算期限"
    waiting_period: str = "，期限至{end}"
    late_wait: str = "{date} {what}：已超过期限{due}，不重新计算期限"
    restart: str = "{date} {what}，期限自该日起重新计算"
    extension: str = "{date} 批准延期{days}{unit} → {due}"
    late_extension: str = "{date} 批准延期{days}{unit}：批准时期限（{due}）已过，已超期，延期不予计算"
    refused_extension: str = "{date} 延期{days}{unit}（{role}）：{why}，不予计算"
    pause: str = "{date} 至 {end}{state} {what}：{days}{unit}不计入 → {due}"
    late_pause: str = "{date} {what}：已超过期限{due}，不再暂停计算"
    running: str = "（进行中，计至今日）"
    running_closed: str = "（未结束，计至办结之日）"
    expired: str = "（{days}{unit}期满）"
    fixed: str = "另行确定的期限 → {due}"
    provisional: str = "（暂定：计算所涉年份的节假日安排尚未录入，录入后自动重算）"
    no_role: str = "批准人无权批准"
    too_many: str = "延期次数已用完"
    labels: Mapping[str, str] = field(default_factory=dict)

    def what(self, e: Event) -> str:
        return self.labels.get(e.tag or e.kind, e.tag or e.kind)


DEFAULT_RULES = Rules()
DEFAULT_WORDING = Wording()


def may_extend(approved: date, due: date | None) -> bool:
    """THE extension rule (条例第33条第二款 for applications; the same for letters and cases): an
    extension must be approved on or before the current due date — `due` is the due date as it
    stands on the approval day (`due_on(…, approved)`). Once it has passed, the item is overdue: the
    extension is refused, and one stored anyway is not counted (late stays late). While waiting for
    the applicant there is no due date, and the rule does not apply."""
    return due is None or approved <= due


# --- the reading ----------------------------------------------------------------------------------


@dataclass
class Reading:
    start: date  # the day the limit counts from (the start, or the restart)
    due: date | None  # None while waiting
    provisional: bool = False
    paused_now: bool = False
    waiting: bool = False
    extension_days: int = 0  # counted extensions only
    paused_days: int = 0
    lines: list[str] = field(default_factory=list)
    as_of: date | None = None  # the day the clock was read: today, or the closed date
    closed: date | None = None
    late_events: list[LateEvent] = field(default_factory=list)
    refused: list[Event] = field(default_factory=list)  # extensions not counted by `Rules` (role, caps)
    pauses: list[tuple[date, date]] = field(default_factory=list)  # the counted pause intervals
    limit: Limit | None = None
    rules: Rules = DEFAULT_RULES
    fixed: bool = False  # the due date is a FIXED date

    def remaining(self, calendar, today: date) -> int | None:
        """Units left until the due date (negative: overdue by that many). Working days for a
        working-day limit: 0 on the due date, and on the non-working days right after it."""
        if self.due is None:
            return None
        unit = self.limit or Limit(0)
        if today <= self.due:
            return unit.count(today, self.due, calendar)
        return -unit.count(self.due, today, calendar)

    def days_late(self, calendar, day: date) -> int:
        """Units past the due date on `day` (0 if not past it, or no due date)."""
        left = self.remaining(calendar, day)
        return -left if left is not None and left < 0 else 0

    def used(self, calendar, day: date) -> int | None:
        """Units counted from `start` to `day`, the paused ones not included (None while waiting)."""
        if self.due is None:
            return None
        unit = self.limit or Limit(0)
        total = unit.count(self.start, day, calendar)
        for ps, pe in self.pauses:
            total -= unit.count(max(ps, self.start), min(pe, day), calendar)
        return max(total, 0)

    def due_soon(self, left: int) -> bool:
        r = self.rules
        if left <= r.due_soon_days:
            return True
        return bool(r.due_soon_share is not None and self.limit and left <= r.due_soon_share * self.limit.days)

    def light(self, calendar, today: date) -> str:
        """green / yellow (due soon) / red (due today) / overdue; paused while waiting or paused.
        Overdue wins over a pause: the weekend after a Friday due date is already past it."""
        if self.waiting:
            return PAUSED
        left = self.remaining(calendar, today)
        if left is None:
            return PAUSED
        if left < 0 or today > self.due:
            return OVERDUE
        if self.paused_now:
            return PAUSED
        if today == self.due or left == 0:
            return RED
        return YELLOW if self.due_soon(left) else GREEN

    def overdue_since(self, calendar=None) -> date | None:
        """The first day past the due date — the day after it, a working day or not (the same
        boundary as `light`'s "overdue") — if that day has come by `as_of`; else None. Derived from
        the history: later events never undo it."""
        if self.due is None:
            return None
        first = self.due + ONE_DAY
        return first if self.as_of is not None and first <= self.as_of else None

    def is_late(self, calendar=None) -> bool:
        """Open: past its due date on `as_of` (已超期). Closed: closed after it (逾期)."""
        return self.overdue_since(calendar) is not None

    @property
    def stands_still(self) -> bool:
        """Open and not overdue, and the clock does not run on `as_of` (waiting, or a running pause)."""
        return (self.waiting or self.paused_now) and self.overdue_since() is None

    def status(self, calendar) -> str:
        """THE classification on `as_of`. Closed: LATE if closed after the due date, else ON_TIME.
        Open: OVERDUE from the day after the due date (late stays late); DUE_SOON when the clock runs
        and at most `Rules.due_soon_days` (or the share) are left, the due day included; else NORMAL."""
        if self.closed is not None:
            return LATE if self.is_late() else ON_TIME
        if self.is_late():
            return OVERDUE
        left = self.remaining(calendar, self.as_of)
        if not self.stands_still and left is not None and self.due_soon(left):
            return DUE_SOON
        return NORMAL


def _known_by(e: Event, day: date) -> bool:
    """Whether `e` was known on `day`. A FIXED event is dated by the date it fixes, which lies after
    the day it was set (条例第35条: a later date, notified to the applicant), so its date says nothing
    about when it became known: it is always counted — else every reading before that date would
    drop it and disagree with the item's page."""
    return e.start <= day or e.kind == FIXED


def known_on(events: Iterable[Event], day: date) -> list[Event]:
    """The events as known on `day`: those dated on or before it (and FIXED dates, `_known_by`); a
    pause whose end was recorded after `day` was still running then (end unknown, read as an open
    pause: counted to the day, an automatic end at most its `days`)."""
    out = []
    for e in events:
        if not _known_by(e, day):
            continue
        if e.kind == PAUSE and e.end is not None and e.end > day:
            e = replace(e, end=None)
        out.append(e)
    return out


def read(start: date, limit: Limit, events: Iterable[Event], calendar, today: date, *,
         rules: Rules = DEFAULT_RULES, wording: Wording = DEFAULT_WORDING, closed: date | None = None) -> Reading:
    """The clock of one item from its start date, limit and events, read as of `closed` if the item
    is closed, else `today`. Events are applied in date order; one dated after the due date of its
    day is listed in `late_events` and does not move the date (see the module docstring)."""
    w = wording
    as_of = closed if closed is not None else today
    events = sorted(events, key=lambda e: e.order)
    lines = [w.start.format(start=_fmt(start), source=limit.source)]
    late: list[LateEvent] = []

    def done(**kw) -> Reading:
        return Reading(lines=lines, as_of=as_of, closed=closed, late_events=late, limit=limit, rules=rules, **kw)

    # 1. waiting and restarts, against the plain limit
    received = start
    first_due, _p = limit.end(start, calendar)
    waits = []
    for e in events:
        if e.kind != WAIT:
            continue
        if e.start > first_due:
            late.append(LateEvent(e, first_due))
            lines.append(w.late_wait.format(date=_fmt(e.start), due=_fmt(first_due), what=w.what(e)))
        else:
            waits.append(e)
    if waits:
        last = waits[-1]
        answered = [e for e in events if e.kind == RESTART and e.start >= last.start]
        if not answered:
            period = w.waiting_period.format(end=_fmt(last.end)) if last.end else ""
            lines.append(w.waiting.format(date=_fmt(last.start), what=w.what(last), period=period))
            return done(start=received, due=None, waiting=True)
        start = answered[0].start
        lines.append(w.restart.format(date=_fmt(start), what=w.what(answered[0])))

    # 2. pauses and extensions, in date order, against the due date as it stood that day
    due, provisional = limit.end(start, calendar)
    unit = limit.unit_label
    lines.append(w.base.format(start=_fmt(start), days=limit.days, unit=unit, source=limit.source, due=_fmt(due)))
    paused_total = ext = granted = 0
    paused_now = False
    pauses: list[tuple[date, date]] = []
    refused: list[Event] = []
    running = w.running if closed is None else w.running_closed
    for e in events:
        if e.kind == EXTENSION and e.days:
            fmt = {"date": _fmt(e.start), "days": e.days, "unit": unit, "role": e.role, "what": w.what(e)}
            if not may_extend(e.start, due):
                late.append(LateEvent(e, due))
                lines.append(w.late_extension.format(due=_fmt(due), **fmt))
                continue
            why = ""
            if rules.extension_roles is not None and e.role not in rules.extension_roles:
                why = w.no_role
            elif rules.max_extensions is not None and granted >= rules.max_extensions:
                why = w.too_many
            if why:
                refused.append(e)
                lines.append(w.refused_extension.format(why=why, due=_fmt(due), **fmt))
                continue
            days = e.days
            if rules.max_extension_days is not None:
                days = min(days, rules.max_extension_days - ext)
            if days <= 0:
                refused.append(e)
                lines.append(w.refused_extension.format(why=w.too_many, due=_fmt(due), **fmt))
                continue
            due, p = limit.add(due, days, calendar)
            provisional |= p
            ext += days
            granted += 1
            lines.append(w.extension.format(due=_fmt(due), **(fmt | {"days": days})))
            continue
        if e.kind != PAUSE:
            continue
        what = w.what(e)
        if e.start > due:  # a pause that begins after the due date cannot revive it
            late.append(LateEvent(e, due))
            lines.append(w.late_pause.format(date=_fmt(e.start), what=what, due=_fmt(due)))
            continue
        state = ""
        if e.end is not None:
            end = e.end
        elif e.days:  # ends by itself after e.days working days
            auto = calendar.add_working_days(e.start, e.days)
            provisional |= auto.provisional
            if auto.date <= as_of:
                end, state = auto.date, w.expired.format(days=e.days, unit="个工作日")
            else:
                end, state, paused_now = as_of, running, closed is None
        else:
            end, state, paused_now = as_of, running, closed is None
        days = limit.count(e.start, end, calendar)
        if days:
            due, p = limit.add(due, days, calendar)
            provisional |= p
            pauses.append((e.start, end))
        if due < end:
            # No unit was left when the pause began (it began on the due date) and it ends — or, running,
            # is read — on a non-working day: the time runs out the day the pause ends, rolled onto the
            # next working day (《民法典》第二百零三条), never a day before that end. Without this a
            # pause still running over a holiday read as overdue, and not overdue again after it.
            due = next_working_day(calendar, end)
        paused_total += days
        lines.append(w.pause.format(date=_fmt(e.start), end=_fmt(end), state=state, what=what, days=days,
                                    unit=unit, due=_fmt(due)))

    # 3. a fixed date replaces the due date
    fixed = [e for e in events if e.kind == FIXED]
    if fixed:
        due = fixed[-1].start
        lines.append(w.fixed.format(date=_fmt(due), due=_fmt(due), what=w.what(fixed[-1])))
    if provisional:
        lines.append(w.provisional)
    return done(start=start, due=due, provisional=provisional, paused_now=paused_now, extension_days=ext,
                paused_days=paused_total, refused=refused, pauses=pauses, fixed=bool(fixed))


def due_on(start: date, limit: Limit, events: Iterable[Event], calendar, day: date, *,
           rules: Rules = DEFAULT_RULES) -> date | None:
    """The due date as it stands on `day` (events dated after `day` ignored, except FIXED dates:
    `_known_by`): what an action dated `day` is checked against (`may_extend`)."""
    return read(start, limit, [e for e in events if _known_by(e, day)], calendar, day, rules=rules).due


# --- many items at once ---------------------------------------------------------------------------


class MemoCalendar:
    """The calendar with its two counting functions memoised for one pass over many items (the same
    start dates, due dates and reading days recur). The calendar does not change during a pass and
    its answers are immutable, so sharing them is safe."""

    def __init__(self, calendar):
        self._calendar = calendar
        self._added: dict[tuple[date, int], Any] = {}
        self._counted: dict[tuple[date, date], int] = {}

    def add_working_days(self, start: date, n: int):
        key = (start, n)
        hit = self._added.get(key)
        if hit is None:
            hit = self._added[key] = self._calendar.add_working_days(start, n)
        return hit

    def count_working_days(self, start: date, end: date) -> int:
        key = (start, end)
        hit = self._counted.get(key)
        if hit is None:
            hit = self._counted[key] = self._calendar.count_working_days(start, end)
        return hit

    def __getattr__(self, name):
        return getattr(self._calendar, name)
