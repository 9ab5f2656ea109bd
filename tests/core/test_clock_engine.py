"""The one clock engine (core/clock.py, issue #16): invariants over random event histories on the
real calendar (chinesecalendar's notices, as the calendar migration seeds them; 2027 is not loaded,
so late dates are provisional), and the features the coming apps need (calendar-day limits, the
approving role, one extension of at most N days, an automatic pause end)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yangguang.core import clock
from yangguang.core.calendar_seed import chinesecalendar_rows
from yangguang.core.workdays import Calendar


def _pure_calendar() -> Calendar:
    rows = chinesecalendar_rows()
    return Calendar({r.date: (r.kind, r.name) for rs in rows.values() for r in rs}, rows)


CAL = _pure_calendar()
D = date.fromisoformat
BASE = D("2025-08-01")  # the histories span the 2025 National Day, 2026 Spring Festival … into 2027
LIMIT = clock.Limit(20, clock.WORKING, "测试第1条")


# --- random histories ---------------------------------------------------------------------------

_raw_event = st.one_of(
    st.tuples(st.just("wait"), st.integers(0, 40), st.one_of(st.none(), st.integers(1, 40))),  # + restart after
    st.tuples(st.just("pause"), st.integers(0, 90), st.one_of(st.none(), st.integers(0, 40))),  # + end after
    st.tuples(st.just("consult"), st.integers(0, 90), st.one_of(st.none(), st.integers(0, 40))),  # auto end 15
    st.tuples(st.just("extension"), st.integers(0, 90), st.integers(1, 20)),
    st.tuples(st.just("fixed"), st.integers(0, 60), st.integers(10, 120)),
)
_history = st.fixed_dictionaries({
    "start": st.integers(0, 400), "events": st.lists(_raw_event, max_size=5), "read": st.integers(0, 150),
    "closed": st.booleans()})


def events_of(start: date, raw) -> list[clock.Event]:
    out = []
    for kind, offset, extra in raw:
        day = start + timedelta(days=offset)
        if kind == "wait":
            out.append(clock.Event(clock.WAIT, day, day + timedelta(days=15), tag="wait"))
            if extra is not None:
                out.append(clock.Event(clock.RESTART, day + timedelta(days=extra), tag="restart"))
        elif kind in ("pause", "consult"):
            end = day + timedelta(days=extra) if extra is not None else None
            out.append(clock.Event(clock.PAUSE, day, end, 15 if kind == "consult" else None, tag=kind))
        elif kind == "extension":
            out.append(clock.Event(clock.EXTENSION, day, days=extra, tag="extension"))
        else:
            out.append(clock.Event(clock.FIXED, start + timedelta(days=extra), tag="fixed"))
    return out


def reading(h) -> tuple[date, list[clock.Event], date, clock.Reading]:
    start = BASE + timedelta(days=h["start"])
    events = events_of(start, h["events"])
    day = start + timedelta(days=h["read"])
    events = clock.known_on(events, day)
    r = clock.read(start, LIMIT, events, CAL, day, closed=day if h["closed"] else None)
    return start, events, day, r


@settings(max_examples=100, deadline=None)
@given(_history)
def test_due_never_earlier_than_the_limit_unless_fixed(h):
    start, events, _day, r = reading(h)
    if r.due is None:
        assert r.waiting and any(e.kind == clock.WAIT for e in events)
        return
    if not r.fixed:
        assert r.due >= LIMIT.end(start, CAL)[0]
        assert r.due >= LIMIT.end(r.start, CAL)[0]  # from the restart, if any
        assert CAL.is_working_day(r.due) or r.due.year > 2026


@settings(max_examples=100, deadline=None)
@given(_history)
def test_late_events_never_move_the_due_date(h):
    start, events, day, r = reading(h)
    late = [x.event for x in r.late_events]
    for x in r.late_events:
        assert x.event.start > x.due  # dated after the due date as it stood that day
    without = clock.read(start, LIMIT, [e for e in events if e not in late], CAL, day, closed=r.closed)
    assert without.due == r.due and without.overdue_since() == r.overdue_since()
    assert without.extension_days == r.extension_days and without.paused_days == r.paused_days


@settings(max_examples=100, deadline=None)
@given(_history, st.lists(st.tuples(st.sampled_from(["wait", "pause", "consult", "extension"]),
                                    st.integers(0, 30), st.integers(1, 20)), min_size=1, max_size=3))
def test_overdue_stays_overdue_when_later_events_are_added(h, more):
    start, events, day, r = reading(h)
    since = r.overdue_since()
    if since is None:
        return
    # A fixed date (条例第35条) is stored as the date itself, not the day it was notified, so it is
    # applied last, not in date order: one earlier than the plain limit (against the law: "a reasonable
    # later date") would let a later wait stop the clock. Such data is the data check's business.
    fixed = [e.start for e in events if e.kind == clock.FIXED]
    if fixed and max(fixed) < LIMIT.end(start, CAL)[0]:
        return
    later = []
    for kind, offset, n in more:  # dated on or after the first overdue day, read as of then
        on = since + timedelta(days=offset)
        if kind == "wait":
            later.append(clock.Event(clock.WAIT, on, on + timedelta(days=15), tag="wait"))
        elif kind == "extension":
            later.append(clock.Event(clock.EXTENSION, on, days=n, tag="extension"))
            assert not clock.may_extend(on, clock.due_on(start, LIMIT, events + later, CAL, on))
        else:
            later.append(clock.Event(clock.PAUSE, on, on + timedelta(days=n), 15 if kind == "consult" else None,
                                     tag=kind))
    last = max(e.start for e in later)
    after = clock.read(start, LIMIT, events + later, CAL, max(day, last))
    assert after.due == r.due and after.overdue_since() == since and after.is_late()
    if not fixed:  # a fixed date replaces the due date at the end: events are checked against the one before
        assert {x.event for x in after.late_events} >= set(later)


@settings(max_examples=100, deadline=None)
@given(_history, st.integers(-5, 40))
def test_light_agrees_with_remaining(h, offset):
    _start, _events, day, r = reading(h)
    if r.closed is not None:
        return
    today = day + timedelta(days=max(offset, 0)) if not r.paused_now else day
    left = r.remaining(CAL, today)
    light = r.light(CAL, today)
    if left is None:
        assert light == clock.PAUSED and r.waiting
        return
    assert (light == clock.OVERDUE) == (today > r.due)
    if light == clock.RED:
        assert left == 0 and today <= r.due
    elif light == clock.YELLOW:
        assert 0 < left <= r.rules.due_soon_days
    elif light == clock.GREEN:
        assert left > r.rules.due_soon_days
    elif light == clock.PAUSED:
        assert r.paused_now and today <= r.due
    # the status says the same
    if today == r.as_of:
        status = r.status(CAL)
        assert (status == clock.OVERDUE) == (light == clock.OVERDUE)
        assert (status == clock.DUE_SOON) == (light in (clock.RED, clock.YELLOW))


@settings(max_examples=60, deadline=None)
@given(_history, st.integers(0, 120))
def test_due_on_is_the_reading_of_that_day(h, offset):
    start, events, _day, _r = reading(h)
    day = start + timedelta(days=offset)
    known = [e for e in events if e.start <= day or e.kind == clock.FIXED]  # a fixed date is dated by itself
    assert clock.due_on(start, LIMIT, events, CAL, day) == clock.read(start, LIMIT, known, CAL, day).due


def test_a_fixed_date_is_known_before_it_comes():
    """条例第35条: the event is dated by the date it fixes, a later date than the day it is set; read
    on any day before it, the due date is that date (it used to be dropped as 'not yet happened')."""
    start = D("2026-10-28")
    fixed = clock.Event(clock.FIXED, D("2026-12-31"))
    day = D("2026-12-01")  # after the plain due date 11-25
    assert clock.known_on([fixed], day) == [fixed]
    assert clock.due_on(start, LIMIT, [fixed], CAL, day) == D("2026-12-31")
    assert clock.may_extend(day, clock.due_on(start, LIMIT, [fixed], CAL, day))
    r = clock.read(start, LIMIT, clock.known_on([fixed], day), CAL, day)
    assert r.status(CAL) == clock.NORMAL and not r.is_late()


# --- the spec's examples and the apps' features, by hand ----------------------------------------


def test_working_day_limit_over_national_day():
    r = clock.read(D("2025-09-26"), LIMIT, [], CAL, D("2025-09-26"))
    assert r.due == D("2025-10-30") and not r.provisional  # spec/disclosure.md
    assert r.lines[-1] == "自2025-09-26次日起20个工作日（测试第1条）→ 2025-10-30"


def test_calendar_day_limit_rolls_past_the_holiday():
    five = clock.Limit(5, clock.CALENDAR, "行政许可法第32条")
    # 2025-09-28 + 5 = 10-03, inside the National Day block: rolled onto Thursday 10-09.
    assert five.end(D("2025-09-28"), CAL) == (D("2025-10-09"), False)
    assert five.end(D("2025-09-03"), CAL) == (D("2025-09-08"), False)  # a working day (Monday): kept
    assert five.end(D("2025-09-02"), CAL) == (D("2025-09-08"), False)  # Sunday 09-07: rolled to Monday
    r = clock.read(D("2025-09-28"), five, [], CAL, D("2025-10-09"))
    assert r.due == D("2025-10-09") and r.light(CAL, D("2025-10-09")) == clock.RED
    assert r.overdue_since() is None
    deemed = clock.read(D("2025-09-28"), five, [], CAL, D("2025-10-10"))
    assert deemed.overdue_since() == D("2025-10-10")  # no notice within 5 日: deemed accepted


def test_provisional_in_a_year_not_loaded():
    r = clock.read(D("2026-12-15"), LIMIT, [], CAL, D("2026-12-15"))
    assert r.provisional and r.lines[-1].startswith("（暂定")


def test_extension_must_be_approved_on_or_before_the_due_date():
    start = D("2026-10-28")
    due = LIMIT.end(start, CAL)[0]
    assert due == D("2026-11-25")
    assert clock.may_extend(due, due) and not clock.may_extend(due + timedelta(days=1), due)
    on_time = clock.read(start, LIMIT, [clock.Event(clock.EXTENSION, due, days=10)], CAL, due)
    assert on_time.due == CAL.add_working_days(due, 10).date and on_time.extension_days == 10
    late = clock.read(start, LIMIT, [clock.Event(clock.EXTENSION, due + timedelta(days=1), days=10)], CAL,
                      D("2026-12-01"))
    assert late.due == due and late.extension_days == 0 and late.is_late()
    assert [x.due for x in late.late_events] == [due]


def test_letters_one_extension_by_the_leader_capped():
    rules = clock.Rules(due_soon_days=2, extension_roles=frozenset({"leader"}), max_extensions=1,
                        max_extension_days=10)
    ten = clock.Limit(10, clock.WORKING, "信箱规则")
    start = D("2026-03-02")
    due = ten.end(start, CAL)[0]
    events = [clock.Event(clock.EXTENSION, start + timedelta(days=1), days=5, role="handler"),
              clock.Event(clock.EXTENSION, start + timedelta(days=2), days=15, role="leader"),
              clock.Event(clock.EXTENSION, start + timedelta(days=3), days=5, role="leader")]
    r = clock.read(start, ten, events, CAL, start + timedelta(days=3), rules=rules)
    assert r.extension_days == 10 and r.due == CAL.add_working_days(due, 10).date
    assert [e.role for e in r.refused] == ["handler", "leader"]
    assert len(r.lines) == 5 and "无权批准" in r.lines[2] and "次数已用完" in r.lines[4]


def test_pause_with_automatic_end_and_used_days():
    start = D("2025-09-26")
    consult = clock.Event(clock.PAUSE, D("2025-10-09"), days=15, tag="consultation")
    running = clock.read(start, LIMIT, [consult], CAL, D("2025-10-14"))
    assert running.paused_now and running.paused_days == 4  # 10-10, 10-11 (调休 Saturday), 10-13, 10-14
    assert running.light(CAL, D("2025-10-14")) == clock.PAUSED
    # used: 9-28 … 9-30 (3 days, Sunday 9-28 a 调休 working day) and 10-09; the paused days not counted
    assert running.used(CAL, D("2025-10-14")) == 4
    expired = clock.read(start, LIMIT, [consult], CAL, D("2025-12-31"))
    assert not expired.paused_now and expired.paused_days == 15
    ended = CAL.add_working_days(D("2025-10-09"), 15).date
    assert expired.lines[2].startswith(f"2025-10-09 至 {ended:%Y-%m-%d}（15个工作日期满） consultation：15个工作日不计入")


def test_wait_then_restart_and_fixed_date():
    start = D("2025-09-26")
    wait = clock.Event(clock.WAIT, D("2025-09-30"), D("2025-10-20"))
    waiting = clock.read(start, LIMIT, [wait], CAL, D("2025-10-10"))
    assert waiting.due is None and waiting.waiting and waiting.status(CAL) == clock.NORMAL
    restarted = clock.read(start, LIMIT, [wait, clock.Event(clock.RESTART, D("2025-10-13"))], CAL, D("2025-10-13"))
    assert restarted.start == D("2025-10-13") and restarted.due == LIMIT.end(D("2025-10-13"), CAL)[0]
    lone = clock.read(start, LIMIT, [clock.Event(clock.RESTART, D("2025-10-13"))], CAL, D("2025-10-13"))
    assert lone.start == start  # a restart answers a wait, or nothing
    fixed = clock.read(start, LIMIT, [clock.Event(clock.FIXED, D("2025-10-15"))], CAL, D("2025-10-16"))
    assert fixed.fixed and fixed.due == D("2025-10-15") and fixed.is_late()


@pytest.mark.parametrize("day", ["2025-10-01", "2025-11-26", "2026-02-20", "2026-03-02", "2027-01-04"])
def test_latest_start_due_before_is_tight(day):
    at = D(day)
    last = at  # the last working day on or before `at`
    while not CAL.is_working_day(last):
        last -= timedelta(days=1)
    latest = LIMIT.latest_start_due_before(at, CAL)
    assert CAL.add_working_days(latest, 20).date < last
    assert CAL.add_working_days(latest + timedelta(days=1), 20).date >= last


def test_a_pause_running_over_a_holiday_never_reads_overdue():
    """Found by the property above: a pause begun on the due date (2025-09-19) and still running
    on 2025-10-01 (National Day) read 已超期 since 10-01 — the units it covered moved the due date
    only to the last working day before the holiday — and not overdue again on 10-09. The due date
    never falls before the pause's end: the next working day after it."""
    start = D("2025-08-01")
    events = [clock.Event(clock.EXTENSION, start, days=1, tag="extension"),
              clock.Event(clock.EXTENSION, start, days=14, tag="extension"),
              clock.Event(clock.PAUSE, D("2025-09-19"), tag="pause")]
    on_holiday = clock.read(start, LIMIT, events, CAL, D("2025-10-01"))
    assert on_holiday.due == D("2025-10-09") and on_holiday.overdue_since() is None
    assert on_holiday.light(CAL, D("2025-10-01")) == clock.PAUSED
    after = clock.read(start, LIMIT, events, CAL, D("2025-10-09"))
    assert after.due == D("2025-10-09") and after.overdue_since() is None
    ended = clock.read(start, LIMIT, [*events[:2], clock.Event(clock.PAUSE, D("2025-09-19"), D("2025-10-03"),
                                                                tag="pause")], CAL, D("2025-10-20"))
    assert ended.due == D("2025-10-09") and ended.overdue_since() == D("2025-10-10")
