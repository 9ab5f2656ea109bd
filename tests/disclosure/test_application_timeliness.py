"""disclosure.timeliness: the one classification of an application at a date (issue #14 part B, item 1)."""

from datetime import date as D
from datetime import timedelta

import pytest

from yangguang.core.workdays import Calendar
from yangguang.disclosure import clock, timeliness
from yangguang.disclosure.clock import (
    CONSULTATION,
    CORRECTION_RECEIVED,
    CORRECTION_REQUESTED,
    EXTENSION,
    FEE,
    Event,
)
from yangguang.disclosure.models import Application, ClockEvent
from yangguang.disclosure.timeliness import Status, classify

pytestmark = pytest.mark.django_db

# The issue's case: received 2026-10-28, 20 working days → due 2026-11-25 (no holiday in between).
RECEIVED = D(2026, 10, 28)
DUE = D(2026, 11, 25)
LATE_EXTENSION = Event(EXTENSION, D(2026, 12, 2), days=10)  # five working days after the due date


@pytest.fixture
def cal():
    return Calendar.from_db()


def test_issue_case_due_date(cal):
    assert clock.compute(RECEIVED, [], cal, RECEIVED).due == DUE


def test_late_extension_stays_overdue(cal):
    """Due 2026-11-25, extension recorded 2026-12-02: the clock now says due in December, but the
    application was overdue from 2026-11-26 and stays 已超期; closed later it is 逾期答复."""
    t = classify(RECEIVED, [LATE_EXTENSION], cal, D(2026, 12, 3))
    assert t.status == Status.OVERDUE and t.label == "已超期" and t.light == "overdue"
    assert t.overdue_since == D(2026, 11, 26)
    closed = classify(RECEIVED, [LATE_EXTENSION], cal, D(2026, 12, 10), closed_on=D(2026, 12, 4))
    assert closed.status == Status.LATE and closed.label == "逾期答复" and closed.overdue_since == D(2026, 11, 26)


def test_timely_extension_is_not_late(cal):
    on_due_day = Event(EXTENSION, DUE, days=20)
    t = classify(RECEIVED, [on_due_day], cal, D(2026, 12, 3))
    assert t.status == Status.NORMAL and t.overdue_since is None
    assert classify(RECEIVED, [on_due_day], cal, D(2026, 12, 4), closed_on=D(2026, 12, 4)).status == Status.ON_TIME


def test_open_classes_day_by_day(cal):
    seen = [classify(RECEIVED, [], cal, day) for day in
            (D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 25), D(2026, 11, 26))]
    assert [t.status for t in seen] == [Status.NORMAL, Status.DUE_SOON, Status.DUE_SOON, Status.OVERDUE]
    assert [t.light for t in seen] == ["green", "yellow", "red", "overdue"]
    assert [t.remaining for t in seen] == [6, 5, 0, -1]


def test_closed_on_due_day_on_time_day_after_late(cal):
    assert classify(RECEIVED, [], cal, D(2027, 1, 5), closed_on=DUE).status == Status.ON_TIME
    assert classify(RECEIVED, [], cal, D(2027, 1, 5), closed_on=DUE + timedelta(days=1)).status == Status.LATE
    # a closing after `at` is not known at `at`
    assert classify(RECEIVED, [], cal, D(2026, 11, 20), closed_on=D(2026, 11, 24)).status == Status.DUE_SOON


def test_the_weekend_after_a_friday_deadline_is_already_late(cal):
    """The 20 working days end with the due date; a reply or an extension on the Saturday after it is
    outside the period (an extension that day is refused), so the application is 已超期 from the day
    after the due date, working day or not — never 临近期限 (due soon) past its deadline."""
    friday = D(2026, 11, 27)
    received = D(2026, 10, 30)
    assert clock.compute(received, [], cal, received).due == friday
    assert classify(received, [], cal, friday).status == Status.DUE_SOON
    saturday = classify(received, [], cal, D(2026, 11, 28))
    assert saturday.status == Status.OVERDUE and saturday.light == "overdue"
    assert classify(received, [], cal, D(2026, 11, 30)).status == Status.OVERDUE  # Monday
    assert classify(received, [], cal, D(2026, 12, 1), closed_on=D(2026, 11, 29)).status == Status.LATE
    assert classify(received, [], cal, D(2026, 12, 1), closed_on=friday).status == Status.ON_TIME


def test_paused_by_consultation_and_fee(cal):
    running = Event(CONSULTATION, D(2026, 11, 20))
    t = classify(RECEIVED, [running], cal, D(2026, 11, 27))
    assert t.status == Status.NORMAL and t.paused and t.light == "paused"
    # the workbench list, the case page and the staff API read Clock.light: the same answer
    assert clock.compute(RECEIVED, [running], cal, D(2026, 11, 27)).light(cal, D(2026, 11, 27)) == "paused"
    fee = Event(FEE, D(2026, 11, 24))
    assert classify(RECEIVED, [fee], cal, D(2026, 12, 1)).paused
    assert classify(RECEIVED, [fee], cal, D(2026, 12, 1), fee_pause=False).status == Status.OVERDUE
    # a pause that ended: the days are not counted, the clock runs again
    paid = Event(FEE, D(2026, 11, 24), end=D(2026, 12, 1))
    t = classify(RECEIVED, [paid], cal, D(2026, 12, 2))  # 5 working days not counted: due 12-02
    assert not t.paused and t.status == Status.DUE_SOON and t.due == D(2026, 12, 2) and t.light == "red"


def test_pause_started_after_due_date_does_not_revive(cal):
    late_pause = Event(CONSULTATION, D(2026, 11, 30), end=D(2026, 12, 10))
    assert classify(RECEIVED, [late_pause], cal, D(2026, 12, 11), closed_on=D(2026, 12, 11)).status == Status.LATE


def test_pause_end_recorded_later_is_replayed_as_running(cal):
    """A fee paid on 12-10 after a notice on 11-24: on every day in between the clock stood still."""
    fee = Event(FEE, D(2026, 11, 24), end=D(2026, 12, 10))
    for day in (D(2026, 11, 30), D(2026, 12, 9)):
        assert classify(RECEIVED, [fee], cal, day).status == Status.NORMAL
    assert classify(RECEIVED, [fee], cal, D(2026, 12, 11), closed_on=D(2026, 12, 11)).status == Status.ON_TIME


def test_awaiting_correction_then_restart(cal):
    asked = Event(CORRECTION_REQUESTED, D(2026, 11, 2), end=D(2026, 11, 20))
    t = classify(RECEIVED, [asked], cal, D(2026, 12, 15))
    assert t.status == Status.NORMAL and t.paused and t.due is None
    got = Event(CORRECTION_RECEIVED, D(2026, 11, 16))
    t = classify(RECEIVED, [asked, got], cal, D(2026, 12, 10))
    assert t.status == Status.DUE_SOON and t.due == clock.compute(RECEIVED, [asked, got], cal, D(2026, 12, 10)).due


def _app(org, received, **over):
    return Application.objects.create(org=org, number=f"T-{received:%m%d}-{Application.objects.count()}",
                                      applicant_type="natural", applicant_name="张三", description="某信息",
                                      channel="online", received_date=received, state=over.pop("state", "assigned"),
                                      **over)


def test_of_and_count_on_stored_bad_data(org_a, org_b):
    """Rows inserted directly, as data stored before extensions were checked."""
    bad = _app(org_a, RECEIVED)
    ClockEvent.objects.create(application=bad, kind=EXTENSION, start=LATE_EXTENSION.start, days=10, basis="条例第33条")
    good = _app(org_a, RECEIVED)
    closed_late = _app(org_b, RECEIVED, state="closed", outcome="1", closed_date=D(2026, 12, 4))
    ClockEvent.objects.create(application=closed_late, kind=EXTENSION, start=LATE_EXTENSION.start, days=10,
                              basis="条例第33条")
    at = D(2026, 12, 3)
    assert timeliness.of(bad, at).status == Status.OVERDUE
    counts = timeliness.count(Application.objects.all(), at)
    assert counts[org_a.pk].overdue == 2 and counts[org_b.pk].overdue == 1  # closed on 12-04: open on 12-03
    counts = timeliness.count(Application.objects.all(), D(2026, 12, 31), closed_from=D(2026, 1, 1))
    assert counts[org_b.pk].late == 1 and counts[org_b.pk].open == 0
    assert counts[org_a.pk].overdue == 2 and sorted(counts[org_a.pk].ids["overdue"]) == sorted([bad.pk, good.pk])


def test_sql_candidates_are_a_superset(org_a, cal):
    """may_be_overdue_q never leaves out an application classify finds overdue, day by day."""
    start = D(2026, 9, 1)
    for k in range(0, 90, 3):
        _app(org_a, start + timedelta(days=k))
    art35 = _app(org_a, D(2026, 11, 20))
    ClockEvent.objects.create(application=art35, kind="art35_date", start=D(2026, 11, 23), basis="条例第35条")
    for offset in range(0, 100, 4):
        at = start + timedelta(days=offset)
        full = {r.id for r, t in timeliness.classify_all(Application.objects.all(), at, calendar=cal)
                if t.status == Status.OVERDUE}
        fast = {r.id for r, t in timeliness.overdue(Application.objects.all(), at, calendar=cal)}
        assert full == fast, at
    latest = timeliness.latest_receipt_that_can_be_overdue(D(2026, 11, 26), cal)
    assert cal.add_working_days(latest, 20).date < D(2026, 11, 26)
    assert cal.add_working_days(latest + timedelta(days=1), 20).date >= D(2026, 11, 25)
