"""The legal clock: working days on the official calendar (spec/disclosure.md, "The official calendar").

Expected dates are worked out by hand from the State Council notices as chinesecalendar stores them:
  2025 国庆节、中秋节: 10-01 (Wed) … 10-08 (Wed) off; 09-28 (Sun) and 10-11 (Sat) worked.
  2026 春节: 02-15 (Sun) … 02-23 (Mon) off; 02-14 (Sat) and 02-28 (Sat) worked.
  2026 元旦: 01-01 (Thu) … 01-03 (Sat) off; 01-04 (Sun) worked.
  2025 春节: 01-28 (Tue) … 02-04 (Tue) off; 01-26 (Sun) and 02-08 (Sat) worked.
  2026 中秋节 09-25 … 09-27 and 国庆节 10-01 … 10-07 off; 09-20 (Sun) and 10-10 (Sat) worked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yangguang.core import workdays
from yangguang.core.calendar_seed import chinesecalendar_rows
from yangguang.core.models_calendar import CalendarDay, CalendarYear
from yangguang.core.workdays import Calendar


def _pure_calendar() -> Calendar:
    """The seeded calendar without the database, for fast property tests."""
    rows = chinesecalendar_rows()
    return Calendar({r.date: (r.kind, r.name) for rs in rows.values() for r in rs}, rows)


CAL = _pure_calendar()
D = date.fromisoformat


# --- the spec's examples and more, by hand ------------------------------------------------------

CASES = [
    # the spec (hold these exactly)
    ("2025-09-26", 20, "2025-10-30"),
    ("2025-09-30", 7, "2025-10-16"),
    ("2026-02-13", 7, "2026-03-02"),
    # National Day 2025
    ("2025-09-26", 1, "2025-09-28"),  # Sat 27 skipped, Sun 28 is a 调休 working day
    ("2025-09-27", 1, "2025-09-28"),  # start on a weekend: the weekend start is not counted either
    ("2025-09-26", 3, "2025-09-30"),  # 28, 29, 30
    ("2025-09-30", 1, "2025-10-09"),  # the whole 8-day block skipped
    ("2025-09-30", 3, "2025-10-11"),  # 9, 10, then Sat 11 worked
    ("2025-09-30", 4, "2025-10-13"),  # Sun 12 skipped
    ("2025-10-01", 1, "2025-10-09"),  # start inside the block
    ("2025-10-08", 1, "2025-10-09"),  # start on the last day off
    ("2025-10-08", 5, "2025-10-14"),  # 9, 10, 11, 13, 14
    ("2025-10-08", 20, "2025-11-04"),  # … 10-31 is the 18th, 11-03 the 19th
    ("2025-09-20", 15, "2025-10-16"),  # 22-26 (5), 28-30 (8), 9-11 (11), 13-16 (15)
    # Spring Festival 2026
    ("2026-02-13", 1, "2026-02-14"),  # Saturday worked
    ("2026-02-13", 2, "2026-02-24"),  # then the 9-day block
    ("2026-02-14", 1, "2026-02-24"),
    ("2026-02-15", 1, "2026-02-24"),
    ("2026-02-23", 1, "2026-02-24"),
    ("2026-02-27", 1, "2026-02-28"),  # Saturday 28 worked
    ("2026-02-27", 2, "2026-03-02"),
    ("2026-02-13", 20, "2026-03-19"),  # 14, 24-28 (6), 3/2-6 (11), 9-13 (16), 16-19 (20)
    ("2026-02-10", 20, "2026-03-16"),  # 11-14 (4), 24-28 (9), 3/2-6 (14), 9-13 (19), 16 (20)
    # New Year 2026, across the year boundary
    ("2025-12-31", 1, "2026-01-04"),  # Sunday 4 worked
    ("2025-12-31", 2, "2026-01-05"),
    ("2025-12-15", 20, "2026-01-13"),  # 16-31 gives 12; 1/4-9 (18), 12 (19), 13 (20)
    # Spring Festival 2025
    ("2025-01-24", 7, "2025-02-10"),  # 26, 27, 2/5, 6, 7, 8 (Sat worked), 10
    ("2025-01-27", 1, "2025-02-05"),
    # 中秋节 and National Day 2026 (two blocks)
    ("2026-09-18", 7, "2026-09-29"),  # 20 (Sun worked), 21-24, 28, 29
    ("2026-09-18", 20, "2026-10-22"),  # 30 (8), 10/8-10 (11), 12-16 (16), 19-22 (20)
    # n == 0 is the start itself, whatever it is
    ("2025-10-01", 0, "2025-10-01"),
]


@pytest.mark.parametrize(("start", "n", "expected"), CASES)
def test_add_working_days_pure(start, n, expected):
    result = CAL.add_working_days(D(start), n)
    assert result.date == D(expected)
    assert not result.provisional


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "expected"), CASES[:3])
def test_spec_examples_on_the_seeded_database(start, n, expected):
    result = workdays.add_working_days(D(start), n)
    assert (result.date, result.provisional) == (D(expected), False)


def test_count_working_days():
    assert CAL.count_working_days(D("2025-09-26"), D("2025-10-30")) == 20
    assert CAL.count_working_days(D("2025-09-30"), D("2025-10-08")) == 0  # all days off
    assert CAL.count_working_days(D("2025-09-30"), D("2025-10-09")) == 1  # end day counted
    assert CAL.count_working_days(D("2026-02-13"), D("2026-03-02")) == 7
    assert CAL.count_working_days(D("2026-03-02"), D("2026-02-13")) == 0  # end before start
    assert CAL.count_working_days(D("2026-03-02"), D("2026-03-02")) == 0


def test_day_info_reasons():
    assert CAL.info(D("2025-10-01")) == workdays.DayInfo(
        D("2025-10-01"), False, "法定节假日：国庆节、中秋节", workdays.HOLIDAY, "国庆节、中秋节")
    assert CAL.info(D("2025-10-06")).name == "国庆节、中秋节"  # 中秋节 itself, inside the joint block
    assert CAL.info(D("2025-09-28")).reason == "调休上班：国庆节、中秋节"
    assert CAL.info(D("2026-02-28")).reason == "调休上班：春节"
    assert CAL.info(D("2026-02-17")).reason == "法定节假日：春节"
    assert CAL.info(D("2026-01-03")).reason == "法定节假日：元旦"  # a Saturday, still listed
    assert CAL.info(D("2026-09-26")).reason == "法定节假日：中秋节"  # 2026: two separate blocks
    assert CAL.info(D("2026-09-20")).reason == "调休上班：国庆节"
    assert CAL.info(D("2025-10-12")).reason == "周末"
    assert CAL.info(D("2025-10-13")) == workdays.DayInfo(D("2025-10-13"), True, "工作日")
    assert CAL.info(D("2023-09-29")).name == "中秋节、国庆节"  # the 2023 notice's order
    assert CAL.info(D("2015-09-03")).name.startswith("中国人民抗日战争")


def test_years_loaded():
    assert all(CAL.loaded(y) for y in range(2004, 2027))
    assert not CAL.loaded(2003) and not CAL.loaded(2027) and not CAL.loaded(2031)


# --- provisional ---------------------------------------------------------------------------------


def test_provisional_when_a_counted_day_is_in_an_unloaded_year():
    result = CAL.add_working_days(D("2026-12-28"), 5)  # 29, 30, 31 in 2026; then 2027-01-01 and 01-04
    assert (result.date, result.provisional, result.provisional_years) == (D("2027-01-04"), True, [2027])
    info = CAL.info(D("2027-01-01"))
    assert info.working and info.provisional
    assert info.reason == "暂定：2027年节假日安排未录入，按周一至周五计算"
    assert CAL.info(D("2027-01-02")).reason == "周末（暂定：2027年节假日安排未录入，按周一至周五计算）"


def test_not_provisional_when_the_count_stays_in_loaded_years():
    result = CAL.add_working_days(D("2026-12-01"), 10)
    assert (result.date, result.provisional) == (D("2026-12-15"), False)


def test_far_years_never_crash():
    result = CAL.add_working_days(D("2031-06-30"), 20)  # Mon 2031-06-30 → 20 weekdays later
    assert result.provisional and result.date == D("2031-07-28")
    assert CAL.add_working_days(D("2003-12-30"), 1).provisional  # before the data, too
    with pytest.raises(ValueError, match="负数"):
        CAL.add_working_days(D("2025-01-01"), -1)
    with pytest.raises(ValueError, match="日期范围"):
        CAL.add_working_days(date.max - timedelta(days=3), 5)


def test_explain_lines():
    lines = workdays.explain(CAL.add_working_days(D("2025-09-26"), 7))
    assert lines[:6] == [
        "2025-09-27 周六 不计：周末",
        "2025-09-28 周日 第1个工作日（调休上班：国庆节、中秋节）",
        "2025-09-29 周一 第2个工作日",
        "2025-09-30 周二 第3个工作日",
        "2025-10-01 周三 不计：法定节假日（国庆节、中秋节）",
        "2025-10-02 周四 不计：法定节假日（国庆节、中秋节）",
    ]
    assert lines[-2] == "2025-10-13 周一 第7个工作日"
    assert lines[-1].startswith("结果：2025-10-13 周一") and "《民法典》第二百零一条" in lines[-1]
    provisional = workdays.explain(CAL.add_working_days(D("2026-12-31"), 1))
    assert provisional[0] == "2027-01-01 周五 第1个工作日（暂定：2027年节假日安排未录入，按周一至周五计算）"
    assert "暂定：2027年" in provisional[-1]


# --- properties ----------------------------------------------------------------------------------

dates = st.dates(min_value=date(2003, 6, 1), max_value=date(2027, 6, 30))
counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=1, max_value=60))
def test_due_date_is_a_working_day_strictly_after_the_start(start, n):
    result = CAL.add_working_days(start, n)
    assert CAL.is_working_day(result.date)
    assert result.date > start
    # … and the N-th one: exactly n working days in (start, due], n - 1 before it.
    assert CAL.count_working_days(start, result.date) == n
    assert CAL.count_working_days(start, result.date - timedelta(days=1)) == n - 1
    assert result.steps[-1].date == result.date and len(result.steps) == (result.date - start).days


@settings(max_examples=300, deadline=None)
@given(dates, counts, counts)
def test_counts_are_additive(start, a, b):
    first = CAL.add_working_days(start, a)
    assert CAL.add_working_days(first.date, b).date == CAL.add_working_days(start, a + b).date


@settings(max_examples=200, deadline=None)
@given(dates, counts)
def test_count_inverts_add(start, n):
    assert CAL.count_working_days(start, CAL.add_working_days(start, n).date) == n


@settings(max_examples=200, deadline=None)
@given(dates, counts)
def test_provisional_iff_an_examined_day_is_in_an_unloaded_year(start, n):
    result = CAL.add_working_days(start, n)
    years = {(start + timedelta(days=i)).year for i in range(1, (result.date - start).days + 1)}
    assert result.provisional == any(not CAL.loaded(y) for y in years)


# --- the database calendar -----------------------------------------------------------------------


@pytest.mark.django_db
def test_seeded_database_matches_chinesecalendar():
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    db_cal = Calendar.from_db()
    assert db_cal.loaded_years == CAL.loaded_years
    assert db_cal._days == CAL._days
    assert CalendarYear.objects.get(year=2025).source.startswith("chinesecalendar")
    assert CalendarDay.objects.filter(date__year=2026, kind=CalendarDay.MAKEUP_WORKDAY).count() == 6


@pytest.mark.django_db
def test_from_db_follows_changes_without_stale_cache():
    assert Calendar.from_db() is Calendar.from_db()  # cached while nothing changes
    assert workdays.is_working_day(D("2025-10-13"))
    year = CalendarYear.objects.get(year=2025)
    CalendarDay.objects.create(date=D("2025-10-13"), kind=CalendarDay.HOLIDAY, name="测试假日", year=year)
    year.save()  # every write path saves the year (admin, load, seed): a new version
    assert not workdays.is_working_day(D("2025-10-13"))
    year.delete()
    assert not Calendar.from_db().loaded(2025)
    assert workdays.add_working_days(D("2025-09-30"), 1).provisional


def test_calendar_rejects_days_of_unloaded_years():
    with pytest.raises(ValueError):
        Calendar({D("2031-01-01"): (workdays.HOLIDAY, "元旦")}, [2030])
