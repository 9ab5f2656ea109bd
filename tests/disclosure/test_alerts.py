from datetime import date as D

import pytest
from helpers import new_user

from yangguang.core.models import Notification
from yangguang.disclosure import alerts, services
from yangguang.disclosure.models import Application, ClockEvent
from yangguang.disclosure.tasks import send_due_alerts
from yangguang.disclosure.workflow import State

pytestmark = pytest.mark.django_db

TODAY = D(2025, 10, 30)  # a Thursday after the 2025 National Day holiday (10-01…10-08, 09-28/10-11 worked)
_n = iter(range(1, 1000))


def app(org, received, state=State.ASSIGNED, handler=None, department=None, **over):
    return Application.objects.create(
        org=org, number=f"2025-{next(_n):05d}", state=state, applicant_type="natural", applicant_name="张三",
        description="某信息", channel="online", received_date=received, handler=handler,
        assigned_org=department, **over)


def event(application, kind, start, end=None, days=None):
    return ClockEvent.objects.create(application=application, kind=kind, start=start, end=end, days=days,
                                     basis="测试")


@pytest.fixture
def handlers(org_a, org_b):
    h1 = new_user("a_cb", org_a, "handler")
    h1.email = "a_cb@example.gov.cn"
    h1.save()
    h2 = new_user("b_cb", org_b, "handler")  # no e-mail address: in-app only
    return h1, h2


@pytest.fixture
def cases(city, org_a, org_b, handlers):
    h1, h2 = handlers
    c = {
        # 20 working days from 09-26 = 10-30 (spec example) → due today
        "red": app(city, D(2025, 9, 26), handler=h1, department=org_a),
        # from 09-25: 10-29 → one working day late
        "overdue": app(city, D(2025, 9, 25), handler=h1, department=org_a),
        # from 10-09: 11-05 → 4 working days left (10-31, 11-03, 11-04, 11-05)
        "yellow": app(org_b, D(2025, 10, 9), handler=h2),
        # from 10-20: 11-17 → green
        "green": app(city, D(2025, 10, 20), handler=h1, department=org_a),
        # due 10-30 but extended by 10 working days → green
        "extended": app(city, D(2025, 9, 26), handler=h2, department=org_b),
        # correction requested and not yet received: no due date
        "correction": app(city, D(2025, 9, 1), state=State.CORRECTION),
        # consultation sent 10-27, still open today (15 working days not over): the clock stands still
        "consulting": app(city, D(2025, 9, 26), state=State.CONSULTING, handler=h1, department=org_a),
        # unassigned and overdue: counted, but there is no handler to notify
        "unassigned": app(org_b, D(2025, 9, 1), state=State.ACCEPTED),
        # closed: never considered, although it would be long overdue
        "closed": app(city, D(2025, 8, 1), state=State.CLOSED, outcome="1", closed_date=D(2025, 10, 1)),
    }
    event(c["extended"], ClockEvent.Kind.EXTENSION, D(2025, 10, 27), days=10)
    event(c["correction"], ClockEvent.Kind.CORRECTION_REQUESTED, D(2025, 9, 3), end=D(2025, 10, 31))
    event(c["consulting"], ClockEvent.Kind.CONSULTATION, D(2025, 10, 27))
    return c


def lights(report):
    return {i.application_id: i.light for i in report.items}


def test_classification_with_controlled_dates(cases):
    report = alerts.compute_all(TODAY)
    got = lights(report)
    assert cases["closed"].pk not in got
    expected = {"red": "red", "overdue": "overdue", "yellow": "yellow", "green": "green", "extended": "green",
                "correction": "paused", "consulting": "paused", "unassigned": "overdue"}
    assert {name: got[cases[name].pk] for name in expected} == expected
    by_id = {i.application_id: i for i in report.items}
    assert by_id[cases["overdue"].pk].remaining == -1 and by_id[cases["overdue"].pk].due == D(2025, 10, 29)
    assert by_id[cases["yellow"].pk].remaining == 4 and by_id[cases["yellow"].pk].due == D(2025, 11, 5)
    assert by_id[cases["red"].pk].remaining == 0
    assert by_id[cases["correction"].pk].due is None
    assert report.totals.counts() == {"overdue": 2, "red": 1, "yellow": 1, "paused": 2, "green": 2}
    # the one pass agrees with the application page's clock, application by application
    for a in Application.objects.exclude(state=State.CLOSED):
        assert by_id[a.pk].due == services.clock_of(a, today=TODAY).due


def test_day_by_day(cases):
    """The same application moves green → yellow → red → overdue as the days pass."""
    yellow = cases["yellow"].pk  # due 11-05
    seen = [lights(alerts.compute_all(day))[yellow] for day in
            (D(2025, 10, 28), D(2025, 10, 29), D(2025, 11, 4), D(2025, 11, 5), D(2025, 11, 6))]
    assert seen == ["green", "yellow", "yellow", "red", "overdue"]


def test_grouping(cases, city, org_a, org_b, handlers):
    h1, h2 = handlers
    report = alerts.compute_all(TODAY)
    g1 = report.by_handler[h1.pk]
    assert [i.application_id for i in g1.red] == [cases["red"].pk]
    assert [i.application_id for i in g1.overdue] == [cases["overdue"].pk]
    assert [i.application_id for i in g1.paused] == [cases["consulting"].pk] and g1.green == 1
    assert report.by_handler[h2.pk].counts() == {"overdue": 0, "red": 0, "yellow": 1, "paused": 0, "green": 1}
    nobody = report.by_handler[None]
    assert {i.application_id for i in nobody.overdue + nobody.paused} == {cases["unassigned"].pk,
                                                                         cases["correction"].pk}
    # handling department: the assigned org, else the receiving org
    assert report.by_department[org_a.pk].counts()["overdue"] == 1
    assert report.by_department[org_b.pk].counts() == {"overdue": 1, "red": 0, "yellow": 1, "paused": 0,
                                                       "green": 1}
    assert report.by_department[city.pk].counts()["paused"] == 1  # the unassigned correction case
    # receiving org
    assert report.by_org[city.pk].total == 6 and report.by_org[org_b.pk].total == 2
    assert sum(g.total for g in report.by_handler.values()) == len(report.items) == 8


def test_queries_do_not_grow_with_applications(cases, city, django_assert_max_num_queries):
    for k in range(60):
        a = app(city, D(2025, 9, 1 + k % 28))
        event(a, ClockEvent.Kind.EXTENSION, D(2025, 10, 1), days=5)
    with django_assert_max_num_queries(4):  # calendar version + applications + clock events
        report = alerts.compute_all(TODAY)
    assert len(report.items) == 68


def test_notify_twice_same_day_is_idempotent(cases, handlers, mailoutbox):
    h1, h2 = handlers
    first = send_due_alerts.call(today=TODAY.isoformat())
    assert first["created"] == 3 and first["without_handler"] == 1 and first["emails"] == 1
    assert Notification.objects.count() == 3
    assert set(Notification.objects.filter(user=h1).values_list("kind", flat=True)) == {"due_red", "due_overdue"}
    n = Notification.objects.get(user=h2)
    assert n.kind == "due_yellow" and n.dedupe_key == f"due:{cases['yellow'].pk}:yellow:2025-10-30"
    assert n.object_type == "disclosure.application" and n.object_id == str(cases["yellow"].pk)
    assert "剩余4个工作日" in n.title and "2025-11-05" in n.title
    assert len(mailoutbox) == 1  # h2 has no e-mail address
    mail = mailoutbox[0]
    assert mail.to == ["a_cb@example.gov.cn"] and "逾期1件、今日到期1件、即将到期0件" in mail.subject
    assert cases["red"].number in mail.body and cases["overdue"].number in mail.body

    second = send_due_alerts.call(today=TODAY.isoformat())
    assert second["created"] == 0 and second["emails"] == 0
    assert Notification.objects.count() == 3 and len(mailoutbox) == 1

    # the next day is a new day: still-open alerts are notified again, once
    third = send_due_alerts.call(today="2025-10-31")
    assert third["created"] == 3 and Notification.objects.count() == 6 and len(mailoutbox) == 2


def test_closing_removes_application_from_alerts(cases, handlers):
    Application.objects.filter(pk=cases["overdue"].pk).update(state=State.CLOSED, outcome="1",
                                                              closed_date=D(2025, 10, 29))
    report = alerts.compute_all(TODAY)
    assert cases["overdue"].pk not in lights(report)
    assert alerts.notify_due(report=report).created == 2


def test_mail_failure_keeps_notifications(cases, handlers, monkeypatch, mailoutbox):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(alerts, "send_mail", broken)
    result = alerts.notify_due(TODAY)
    assert result.created == 3 and result.email_failures == 1 and result.emails == 0
    assert Notification.objects.count() == 3


def test_workbench_home_shows_unread_notifications(db, city):
    from django.test import Client
    from helpers import new_user

    from yangguang.core.models import Notification

    user = new_user("note_user", city, "handler")
    Notification.objects.create(user=user, kind="due", title="申请2025-00001今日到期", url="/workbench/applications/1/",
                                dedupe_key="t1")
    c = Client()
    c.force_login(user)
    assert "申请2025-00001今日到期" in c.get("/workbench/").content.decode()
