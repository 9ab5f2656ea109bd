"""The statutory clock, derived from receipt date and events (spec/disclosure.md examples)."""

from datetime import date

import pytest

from yangguang.core.workdays import Calendar
from yangguang.disclosure.clock import (
    ART35_DATE,
    CONSULTATION,
    CORRECTION_RECEIVED,
    CORRECTION_REQUESTED,
    EXTENSION,
    FEE,
    Event,
    compute,
)

pytestmark = pytest.mark.django_db

D = date


@pytest.fixture
def cal():
    return Calendar.from_db()


def test_base_deadline_over_national_day(cal):
    c = compute(D(2025, 9, 26), [], cal, today=D(2025, 9, 26))
    assert c.due == D(2025, 10, 30) and not c.provisional  # spec example


def test_spring_festival_2026(cal):
    # 7 working days from 2026-02-13 = 2026-03-02 (spec, over the Spring Festival); the reply
    # deadline is 13 working days further (counts are additive).
    assert cal.add_working_days(D(2026, 2, 13), 7).date == D(2026, 3, 2)
    c = compute(D(2026, 2, 13), [], cal, today=D(2026, 2, 13))
    assert c.due == cal.add_working_days(D(2026, 3, 2), 13).date


def test_correction_restarts_the_twenty_days(cal):
    waiting = compute(D(2025, 9, 26), [Event(CORRECTION_REQUESTED, D(2025, 9, 30), D(2025, 10, 20))], cal,
                      today=D(2025, 10, 9))
    assert waiting.due is None and waiting.awaiting_correction and waiting.light(cal, D(2025, 10, 9)) == "paused"
    done = compute(D(2025, 9, 26), [Event(CORRECTION_REQUESTED, D(2025, 9, 30), D(2025, 10, 20)),
                                    Event(CORRECTION_RECEIVED, D(2025, 10, 13))], cal, today=D(2025, 10, 13))
    assert done.start == D(2025, 10, 13)
    assert done.due == cal.add_working_days(D(2025, 10, 13), 20).date


def test_consultation_pause_is_not_counted(cal):
    # Sent Thu 2025-10-09, answered Thu 2025-10-16: working days 10-10, 10-11 (Saturday, a make-up
    # working day of the 2025 National Day notice), 10-13..10-16 = 6 not counted.
    c = compute(D(2025, 9, 26), [Event(CONSULTATION, D(2025, 10, 9), D(2025, 10, 16))], cal, today=D(2025, 10, 20))
    assert c.paused_days == 6
    assert c.due == cal.add_working_days(D(2025, 10, 30), 6).date == D(2025, 11, 7)


def test_open_consultation_counts_to_today_and_caps_at_fifteen_days(cal):
    open_ = compute(D(2025, 9, 26), [Event(CONSULTATION, D(2025, 10, 9))], cal, today=D(2025, 10, 14))
    assert open_.paused_now and open_.paused_days == 4  # 10-10, 10-11 (make-up Saturday), 10-13, 10-14
    expired = compute(D(2025, 9, 26), [Event(CONSULTATION, D(2025, 10, 9))], cal, today=D(2025, 12, 31))
    assert not expired.paused_now and expired.paused_days == 15  # 第32条: at most 15 working days


def test_extension_and_fee_pause_setting(cal):
    ext = compute(D(2025, 9, 26), [Event(EXTENSION, D(2025, 10, 20), days=20)], cal, today=D(2025, 10, 20))
    assert ext.due == cal.add_working_days(D(2025, 10, 30), 20).date and ext.extension_days == 20
    fee = [Event(FEE, D(2025, 10, 13), D(2025, 10, 17))]
    paused = compute(D(2025, 9, 26), fee, cal, today=D(2025, 10, 20))
    counted = compute(D(2025, 9, 26), fee, cal, today=D(2025, 10, 20), fee_pause=False)
    assert paused.paused_days == 4 and paused.due == D(2025, 11, 5)
    assert counted.due == D(2025, 10, 30)


def test_article_35_date_replaces_deadline(cal):
    c = compute(D(2025, 9, 26), [Event(ART35_DATE, D(2025, 12, 31))], cal, today=D(2025, 10, 1))
    assert c.due == D(2025, 12, 31)


def test_provisional_year_and_lights(cal):
    c = compute(D(2031, 3, 2), [], cal, today=D(2031, 3, 2))
    assert c.provisional and any("暂定" in line for line in c.lines)
    c = compute(D(2025, 9, 26), [], cal, today=D(2025, 9, 26))
    assert c.light(cal, D(2025, 10, 9)) == "green"
    assert c.light(cal, D(2025, 10, 24)) == "yellow"
    assert c.light(cal, D(2025, 10, 30)) == "red"
    assert c.light(cal, D(2025, 10, 31)) == "overdue"
    assert c.remaining(cal, D(2025, 11, 3)) == -2
