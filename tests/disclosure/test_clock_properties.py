"""The application clock over random histories (issue #16): correction requests and receipts,
consultations with and without an answer, fee pauses, extensions dated before and after the due
date, 第35条 dates — stored as Application and ClockEvent rows on the official calendar in the
database. The bulk path (timeliness.classify_all / classify_many / overdue, with its SQL candidate
filter) must equal the single computation (clock.compute, timeliness.classify) for every history,
and the clock's invariants hold. Runs on SQLite and on PostgreSQL (YANGGUANG_DATABASE_URL)."""

from __future__ import annotations

from datetime import date as D
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yangguang.core.workdays import Calendar
from yangguang.disclosure import clock, timeliness
from yangguang.disclosure.models import Application, ClockEvent

pytestmark = pytest.mark.django_db

BASE = D(2025, 8, 1)  # over the 2025 National Day and the 2026 Spring Festival
_numbers = iter(range(1, 1_000_000))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_event = st.one_of(
    st.tuples(st.just("correction"), st.integers(0, 12), st.one_of(st.none(), st.integers(1, 30))),
    st.tuples(st.sampled_from(["consultation", "fee"]), st.integers(0, 60), st.one_of(st.none(), st.integers(0, 40))),
    st.tuples(st.just("extension"), st.integers(0, 70), st.integers(1, 20)),  # before or after the due date
    st.tuples(st.just("art35_date"), st.integers(0, 40), st.integers(25, 90)),
)
_history = st.fixed_dictionaries({
    "received": st.integers(0, 300), "events": st.lists(_event, max_size=4),
    "closed": st.one_of(st.none(), st.integers(0, 110))})


def rows_of(received: D, raw, until: D) -> list[tuple[str, D, dict]]:
    """The stored rows of one generated history, as known on `until` (nothing dated later)."""
    out = []
    for kind, offset, extra in raw:
        start = received + timedelta(days=offset)
        if kind == "extension":
            out.append((kind, start, {"days": extra}))
        elif kind == "art35_date":
            out.append((kind, received + timedelta(days=extra), {}))
        elif kind == "correction":
            out.append((clock.CORRECTION_REQUESTED, start, {"end": start + timedelta(days=15)}))
            if extra is not None:
                out.append((clock.CORRECTION_RECEIVED, start + timedelta(days=extra), {}))
        else:
            end = start + timedelta(days=extra) if extra is not None else None
            out.append((kind, start, {"end": end if end is not None and end <= until else None}))
    return [r for r in out if r[1] <= until or r[0] == clock.ART35_DATE]


def store(org, histories, at: D) -> dict[int, tuple[D, list[clock.Event], D | None]]:
    made = {}
    for h in histories:
        received = BASE + timedelta(days=h["received"])
        if received > at:
            received = at
        closed = received + timedelta(days=h["closed"]) if h["closed"] is not None else None
        if closed is not None and closed > at:
            closed = None
        rows = rows_of(received, h["events"], closed or at)
        app = Application.objects.create(
            org=org, number=f"H-{next(_numbers):07d}", applicant_type="natural", applicant_name="张三",
            description="某信息", channel="online", received_date=received, state="closed" if closed else "assigned",
            closed_date=closed, outcome="1" if closed else "")
        for kind, start, extra in rows:
            ClockEvent.objects.create(application=app, kind=kind, start=start, basis="测试", **extra)
        made[app.pk] = (received, [clock.Event(k, s, x.get("end"), x.get("days")) for k, s, x in rows], closed)
    return made


def _key(t: timeliness.Timeliness) -> tuple:
    return (t.status, t.due, t.remaining, t.overdue_since, t.paused, t.provisional, t.closed_on, t.light)


@SETTINGS
@given(st.lists(_history, min_size=1, max_size=6), st.integers(40, 400))
def test_bulk_classification_equals_the_single_computation(org_a, histories, at_offset):
    at = BASE + timedelta(days=at_offset)
    cal = Calendar.from_db()
    with transaction.atomic():
        made = store(org_a, histories, at)
        bulk = {row.id: t for row, t in timeliness.classify_all(Application.objects.all(), at, closed_from=BASE)}
        many = timeliness.classify_many(made.values(), at)
        overdue = {row.id for row, _t in timeliness.overdue(Application.objects.all(), at)}  # SQL candidates only
        for (app_id, (received, events, closed)), twin in zip(made.items(), many, strict=True):
            single = timeliness.classify(received, events, cal, at, closed_on=closed)
            assert _key(bulk[app_id]) == _key(single) == _key(twin), app_id
            assert _key(timeliness.of(Application.objects.get(pk=app_id), at)) == _key(single)
            # the classification is the clock's, read as of the closing day or `at`
            c = clock.compute(received, events, cal, closed or at, closed=closed)
            assert single.due == c.due and single.overdue_since == c.overdue_since(cal)
            assert (single.status in (timeliness.Status.OVERDUE, timeliness.Status.LATE)) == c.is_late(cal)
        assert overdue == {i for i, t in bulk.items() if t.status == timeliness.Status.OVERDUE}
        transaction.set_rollback(True)


def _plain_due(received: D, cal) -> D:
    return clock.compute(received, [], cal, received).due


@SETTINGS
@given(_history, st.integers(0, 60))
def test_clock_invariants_on_stored_histories(org_a, h, read_offset):
    cal = Calendar.from_db()
    received = BASE + timedelta(days=h["received"])
    today = received + timedelta(days=read_offset + 30)
    with transaction.atomic():
        ((_id, (received, events, closed)),) = store(org_a, [h | {"closed": None}], today).items()
        app = Application.objects.get(pk=_id)
        c = timeliness.clock.compute(received, timeliness.events_of(app), cal, today)
        assert c.lines == clock.compute(received, events, cal, today).lines
        transaction.set_rollback(True)
    art35 = [e.start for e in events if e.kind == clock.ART35_DATE]
    # the due date is never earlier than 20 working days from receipt, unless a 第35条 date replaced it
    if c.due is not None and not art35:
        assert c.due >= _plain_due(received, cal) and c.due >= _plain_due(c.start, cal)
    # late events never move the due date
    late = [x.event for x in c.late_events]
    assert all(x.event.start > x.due for x in c.late_events)
    without = clock.compute(received, [e for e in events if e not in late], cal, today)
    assert (without.due, without.overdue_since(cal)) == (c.due, c.overdue_since(cal))
    # overdue stays overdue when later events are recorded (an extension, a pause, a correction request)
    since = c.overdue_since(cal)
    if since is not None and not (art35 and max(art35) < _plain_due(received, cal)):
        later = [clock.Event(clock.EXTENSION, since, days=20), clock.Event(clock.CONSULTATION, since),
                 clock.Event(clock.FEE, since + timedelta(days=1), since + timedelta(days=5)),
                 clock.Event(clock.CORRECTION_REQUESTED, since + timedelta(days=2), since + timedelta(days=20))]
        assert clock.due_on(received, events, cal, since) == c.due
        after = clock.compute(received, events + later, cal, max(today, since + timedelta(days=5)))
        assert after.due == c.due and after.overdue_since(cal) == since
    # the light agrees with the days remaining
    left, light = c.remaining(cal, today), c.light(cal, today)
    if left is None:
        assert light == "paused" and c.awaiting_correction
    elif today > c.due:
        assert light == "overdue" and c.is_late(cal)
    else:
        expected = "paused" if c.paused_now else "red" if left == 0 else (
            "yellow" if left <= clock.DUE_SOON_DAYS else "green")
        assert light == expected


def test_an_article_35_date_counts_before_it_comes(org_a):
    """A 第35条 date is stored as the date it fixes (later than the day it is set): the counts must
    not drop it as 'not yet happened' while the case page shows it — received 2026-10-28, plain due
    11-25, a 第35条 date 12-31: on 12-01 the application is 正常 everywhere, not 已超期."""
    cal = Calendar.from_db()
    received, fixed, at = D(2026, 10, 28), D(2026, 12, 31), D(2026, 12, 1)
    assert clock.compute(received, [], cal, received).due < at
    events = [clock.Event(clock.ART35_DATE, fixed)]
    page = clock.compute(received, events, cal, at)
    assert page.due == fixed and page.light(cal, at) == "green"
    single = timeliness.classify(received, events, cal, at)
    assert single.status == timeliness.Status.NORMAL and single.due == fixed
    ((_id, _h),) = store(org_a, [{"received": (received - BASE).days, "events": [("art35_date", 0, 64)],
                                  "closed": None}], at).items()
    assert {row.id: t.status for row, t in timeliness.classify_all(Application.objects.all(), at)} == {
        _id: timeliness.Status.NORMAL}
    assert timeliness.overdue(Application.objects.all(), at) == []
    # an extension on 12-01 is within the deadline the applicant was told
    assert clock.due_on(received, events, cal, at) == fixed
