"""Each measurable indicator at its thresholds (spec/monitoring.md; 国办秘函〔2019〕19号)."""

from datetime import timedelta

import pytest
from conftest import TODAY, at, bare_org, col, ind, pub

from yangguang.disclosure.models import Application
from yangguang.disclosure.workflow import State as AppState
from yangguang.monitoring import engine
from yangguang.monitoring.models import IndicatorResult

pytestmark = pytest.mark.django_db


def measure(org, code: str, today=TODAY) -> IndicatorResult:
    run = engine.run(trigger="command", scope_org=org, only_org=True, indicator=ind(code), today=today)
    return IndicatorResult.objects.get(run=run, org=org)


@pytest.fixture
def org(region):
    return bare_org("测试局", "csj", parent=region)


@pytest.mark.parametrize(("days", "passed"), [(13, True), (14, False)])
def test_home_not_updated_two_weeks(org, days, passed):
    news = col(org, "gzdt", "news")
    pub(news, days)
    pub(col(org, "tzgg", "notice"), 0)  # a fresh notice does not count: the home page is the news columns
    r = measure(org, "home_not_updated")
    assert (r.value, r.passed) == (days, passed)
    assert r.details["columns"] == [news.id]


def test_home_never_published_fails_and_without_news_columns_uses_all(org):
    col(org, "gzdt", "news")
    assert measure(org, "home_not_updated").passed is False  # never published
    other = bare_org("无动态栏目的机构", "wdt")
    pub(col(other, "tzgg", "notice"), 3)
    r = measure(other, "home_not_updated")
    assert (r.value, r.passed) == (3, True)


def _stale_news(org, n):
    for i in range(n):
        pub(col(org, f"dt{i}", "news"), 14)


@pytest.mark.parametrize(("stale", "passed"), [(4, True), (5, False)])
def test_columns_not_updated_news_and_notice(org, stale, passed):
    _stale_news(org, stale - 1)
    parent = col(org, "zcwj", "notice")
    pub(parent, 183)  # a first-level notice column 183 days (≈ 6 months) old: stale
    child = col(org, "zcwj-sub", "notice", parent=parent)
    pub(child, 400)  # a second-level notice column does not count
    pub(col(org, "fresh", "news"), 13)
    r = measure(org, "columns_not_updated")
    assert (r.value, r.passed) == (stale, passed)
    assert parent.id in r.details["columns"] and child.id not in r.details["columns"]


@pytest.mark.parametrize(("days", "stale"), [(182, False), (183, True)])
def test_notice_six_month_boundary(org, days, stale):
    _stale_news(org, 4)
    pub(col(org, "tzgg", "notice"), days)
    r = measure(org, "columns_not_updated")
    assert r.value == 4 + stale and r.passed is not stale


@pytest.mark.parametrize(("stale", "passed"), [(9, True), (10, False)])
def test_long_columns_over_threshold(org, stale, passed):
    for i in range(stale):
        pub(col(org, f"cq{i}", "long"), 365)
    pub(col(org, "cq-fresh", "long"), 364)
    pub(col(org, "cq-own", "long", stale_after_days=30), 29)  # per-column threshold, not yet over
    r = measure(org, "columns_long_stale")
    assert (r.value, r.passed) == (stale, passed)
    c = col(org, "cq-own2", "long", stale_after_days=30)
    pub(c, 30)
    assert measure(org, "columns_long_stale").value == stale + 1


@pytest.mark.parametrize(("empty", "passed"), [(4, True), (5, False)])
def test_empty_columns(org, empty, passed):
    for i in range(empty):
        col(org, f"kb{i}", "static")
    pub(col(org, "full", "static"), 900)  # a static column with content is never stale nor empty
    r = measure(org, "columns_empty")
    assert (r.value, r.passed) == (empty, passed)
    # A withdrawn document does not fill a column.
    doc = pub(col(org, "wd", "notice"), 1)
    doc.withdrawn_at = doc.first_published_at
    doc.save()
    assert measure(org, "columns_empty").value == empty + 1


@pytest.mark.parametrize(("days", "points"), [(182, 0), (183, -5)])
def test_policy_column_deduction_six_months(org, days, points):
    pub(col(org, "zcwj", "notice"), days)
    r = measure(org, "policy_column_stale")
    assert float(r.points) == points and r.passed is (points == 0)


def test_empty_policy_column_is_deducted(org):
    col(org, "zcwj", "notice")
    assert float(measure(org, "policy_column_stale").points) == -5


def test_policy_without_interpretation_each_and_cap(org):
    policy = col(org, "zcwj", "notice")
    jd = col(org, "zcjd", "notice")
    docs = [pub(policy, 10, genre="normative") for _ in range(3)]
    pub(jd, 5, genre="interpretation", interpretation_of=docs[0])
    pub(policy, 10, genre="notice")  # not a policy document
    pub(policy, 10, genre="rule", validity="abolished")  # not in force
    r = measure(org, "policy_without_interpretation")
    assert (r.value, float(r.points)) == (2, -2)
    assert sorted(r.details["documents"]) == sorted(d.id for d in docs[1:])
    for _ in range(10):
        pub(policy, 3, genre="rule")
    r = measure(org, "policy_without_interpretation")
    assert (r.value, float(r.points)) == (12, -10)  # capped


def test_late_publication_twenty_working_days(org):
    """Same rule as publishing.timeliness: late once a working day has passed after the due date."""
    from yangguang.core.workdays import Calendar
    from yangguang.publishing.models import Edition
    from yangguang.publishing.timeliness import timeliness

    c = col(org, "tzgg", "notice")
    info = TODAY - timedelta(days=60)
    cal = Calendar.from_db()
    due = cal.add_working_days(info, 20).date
    first_late = cal.add_working_days(due, 1).date
    on_due = pub(c, (TODAY - due).days, info_date=info)
    before_late = pub(c, (TODAY - first_late).days + 1, info_date=info)  # the day before: on time (maybe a weekend)
    late = pub(c, (TODAY - first_late).days, info_date=info)
    pub(c, 1)  # no info date recorded: not measured
    r = measure(org, "late_publication")
    assert (r.value, float(r.points), r.details["documents"]) == (1, -0.5, [late.id])
    for doc, on_time in ((on_due, True), (before_late, True), (late, False)):
        assert timeliness(Edition.objects.get(pk=doc.live_edition_id)).on_time is on_time
    for _ in range(25):
        pub(c, 1, info_date=TODAY - timedelta(days=90))
    assert float(measure(org, "late_publication").points) == -10


def test_late_publication_agrees_with_timeliness_for_every_document(org):
    """The set-based measure (due dates joined into SQL) against the per-edition rule, over info
    dates inside and far outside the range the SQL judges (those are judged in Python)."""
    from yangguang.publishing.models import Edition
    from yangguang.publishing.timeliness import timeliness

    c = col(org, "tzgg", "notice")
    docs = [pub(c, days_ago, info_date=TODAY - timedelta(days=info_ago))
            for info_ago in (900, 500, 120, 61, 45, 40, 34, 31, 29, 28, 27, 21, 2, -30)
            for days_ago in (0, 4, 9, 16)]
    late = {d.id for d in docs if not timeliness(Edition.objects.get(pk=d.live_edition_id)).on_time}
    assert 0 < len(late) < len(docs)
    r = IndicatorResult.objects.get(run=engine.run(trigger="command", scope_org=org, only_org=True,
                                                   indicator=ind("late_publication"), today=TODAY), org=org)
    assert (r.value, set(r.details["documents"])) == (len(late), late)


def test_year_window_starts_at_local_midnight(org):
    """近一年 starts at local midnight 364 days before today: a document published at 07:00 on that
    day counts, one published at 23:00 the day before does not (in UTC both fall on the same date)."""
    from yangguang.publishing.models import Document, Edition

    c = col(org, "zcwj", "notice")
    first_day = TODAY - timedelta(days=364)
    inside = pub(c, 364, genre="normative", info_date=first_day - timedelta(days=60))
    outside = pub(c, 365, genre="normative", info_date=first_day - timedelta(days=60))
    for doc, when in ((inside, at(first_day, 7)), (outside, at(first_day - timedelta(days=1), 23))):
        Document.objects.filter(pk=doc.pk).update(first_published_at=when, last_published_at=when)
        Edition.objects.filter(pk=doc.live_edition_id).update(published_at=when)
    assert measure(org, "policy_without_interpretation").details["documents"] == [inside.id]
    assert measure(org, "late_publication").details["documents"] == [inside.id]


def test_overdue_applications(org):
    def app(n, received, state=AppState.ASSIGNED):
        return Application.objects.create(
            org=org, number=f"2026-{n:05d}", state=state, applicant_type="natural", applicant_name="张三",
            description="某信息", channel="online", received_date=received)

    overdue = app(1, TODAY - timedelta(days=60))
    app(2, TODAY - timedelta(days=3))  # still within 20 working days
    app(3, TODAY - timedelta(days=90), state=AppState.CLOSED)  # answered
    r = measure(org, "overdue_applications")
    assert (r.value, float(r.points), r.details["applications"]) == (1, -1, [overdue.id])
