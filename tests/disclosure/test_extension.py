"""Extensions only while the clock runs (条例第33条第二款), the date discipline of clock actions, and
late staying late (issue #14, item 1). The issue's case: received 2026-10-28, due 2026-11-25,
extension on 2026-12-02 — five working days late."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from helpers import new_user

from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.core.workdays import Calendar
from yangguang.disclosure import clock, services
from yangguang.disclosure.clock import EXTENSION, Event, compute
from yangguang.disclosure.models import ClockEvent
from yangguang.disclosure.services import issue_fee_notice, set_article35_date

pytestmark = pytest.mark.django_db

D = date
RECEIVED, DUE, LATE_DAY = D(2026, 10, 28), D(2026, 11, 25), D(2026, 12, 2)
REAL_LOCALDATE = timezone.localdate


@pytest.fixture
def today(monkeypatch):
    """Set the date the services and pages believe is today."""

    def set_today(day: date) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: day if value is None
                            else REAL_LOCALDATE(value, tz))
        return day

    return set_today


@pytest.fixture
def office(city):
    return new_user("x_gkb", city, "supervisor")


@pytest.fixture
def handler(city):
    return new_user("x_cb", city, "handler")


def assigned(city, office, handler, received=RECEIVED):
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "赵六", "contact_phone": "13812345678",
        "description": "某小区改造资金使用情况", "channel": "online", "received_date": received,
    })
    return services.assign(services.accept(app, office), office, city, handler)


def test_clock_does_not_count_an_extension_approved_after_the_due_date():
    cal = Calendar.from_db()
    assert cal.add_working_days(RECEIVED, 20).date == DUE and cal.count_working_days(DUE, LATE_DAY) == 5
    c = compute(RECEIVED, [Event(EXTENSION, LATE_DAY, days=15)], cal, today=LATE_DAY)
    assert c.due == DUE and c.extension_days == 0
    assert c.light(cal, LATE_DAY) == "overdue"
    assert c.overdue_since(cal) == D(2026, 11, 26) and c.is_late(cal)
    assert [late.event.start for late in c.late_events] == [LATE_DAY]
    assert any("已过" in line and "不予计算" in line for line in c.lines)
    # within the period the same extension counts
    ok = compute(RECEIVED, [Event(EXTENSION, DUE, days=15)], cal, today=LATE_DAY)
    assert ok.due == cal.add_working_days(DUE, 15).date and not ok.is_late(cal) and not ok.late_events


def test_closed_late_stays_late_whatever_came_after():
    cal = Calendar.from_db()
    closed = compute(RECEIVED, [Event(EXTENSION, LATE_DAY, days=20)], cal, today=D(2027, 1, 5), closed=D(2026, 12, 10))
    assert closed.as_of == D(2026, 12, 10) and closed.is_late(cal) and closed.overdue_since(cal) == D(2026, 11, 26)
    on_time = compute(RECEIVED, [], cal, today=D(2027, 1, 5), closed=DUE)
    assert not on_time.is_late(cal) and on_time.overdue_since(cal) is None


def test_extension_after_the_due_date_is_refused(city, office, handler, today):
    app = assigned(city, office, handler)
    today(LATE_DAY)
    with pytest.raises(IllegalTransition) as refused:
        services.approve_extension(app, office, days=15, reason="需调取档案", on=LATE_DAY)
    assert "2026-11-25" in refused.value.message and "超期" in refused.value.message
    assert not ClockEvent.objects.filter(application=app).exists()
    assert services.clock_of(app).light(Calendar.from_db(), LATE_DAY) == "overdue"


def test_approval_date_discipline(city, office, handler, today):
    app = assigned(city, office, handler)
    today(D(2026, 11, 20))
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        services.approve_extension(app, office, days=5, reason="需调取档案", on=D(2026, 11, 23))
    with pytest.raises(InvalidInput, match="补录理由"):
        services.approve_extension(app, office, days=5, reason="需调取档案", on=D(2026, 11, 18))
    services.start_consultation(app, handler, on=D(2026, 11, 19), party="某物业公司", backdate_reason="纸质函件已于当日寄出")
    with pytest.raises(InvalidInput, match="上一次期限事件"):
        services.approve_extension(app, office, days=5, reason="需调取档案", on=D(2026, 11, 18),
                                   backdate_reason="补录")
    services.approve_extension(app, office, days=5, reason="需调取档案", on=D(2026, 11, 20))
    event = ClockEvent.objects.get(application=app, kind=ClockEvent.Kind.CONSULTATION)
    assert event.backdate_reason == "纸质函件已于当日寄出"


@pytest.mark.parametrize("action", ["correction", "consultation", "fee", "article35"])
def test_other_clock_actions_refused_after_the_due_date(city, office, handler, today, action):
    app = assigned(city, office, handler)
    if action == "correction":  # 补正 is asked before acceptance
        app = services.register(city, {
            "applicant_type": "natural", "applicant_name": "赵六", "contact_phone": "13812345678",
            "description": "某小区改造资金", "channel": "online", "received_date": RECEIVED})
    today(LATE_DAY)
    with pytest.raises(IllegalTransition, match="2026-11-25"):
        if action == "correction":
            services.request_correction(app, office, on=LATE_DAY, until=D(2026, 12, 20), items="写明小区名称")
        elif action == "consultation":
            services.start_consultation(app, handler, on=LATE_DAY, party="某物业公司")
        elif action == "article35":  # a 第35条 date fixed after the deadline would hide it too
            set_article35_date(app, office, on=LATE_DAY, new_due=D(2027, 1, 29), reason="申请数量明显超出合理范围")
        else:
            issue_fee_notice(app, office, method="per_page", pages=200, on=LATE_DAY)
    assert not ClockEvent.objects.filter(application=app).exists()


def test_other_clock_actions_need_a_reason_to_be_backdated(city, office, handler, today):
    app = assigned(city, office, handler)
    today(D(2026, 11, 20))
    with pytest.raises(InvalidInput, match="补录理由"):
        services.start_consultation(app, handler, on=D(2026, 11, 10), party="某物业公司")
    with pytest.raises(InvalidInput, match="补录理由"):
        issue_fee_notice(app, office, method="per_page", pages=200, on=D(2026, 11, 10))
    app = services.start_consultation(app, handler, on=D(2026, 11, 20), party="某物业公司")
    with pytest.raises(InvalidInput, match="早于暂停开始之日|上一次期限事件"):
        services.end_consultation(app, handler, on=D(2026, 11, 19), backdate_reason="补录")
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        services.end_consultation(app, handler, on=D(2026, 11, 23))


def _stored_late(city, office, handler, today):
    """An application extended after its due date, written straight into the table (as old data is)."""
    app = assigned(city, office, handler)
    ClockEvent.objects.create(application=app, kind=ClockEvent.Kind.EXTENSION, start=LATE_DAY, days=15,
                              basis="条例第33条第二款", reason="需调取档案", approved_by=office)
    today(LATE_DAY)
    return app


def test_stored_late_extension_still_overdue_in_every_view(city, office, handler, today):
    from yangguang.supervision.stats import overdue_applications

    app = _stored_late(city, office, handler, today)
    c = Client()
    c.force_login(office)
    listing = c.get(reverse("applications:list")).content.decode()
    assert "已超期" in listing and "临近期限" not in listing
    detail = c.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "已超期" in detail and "自 2026-11-26 起已超过答复期限" in detail
    api = c.get(f"/api/v1/staff/disclosure/applications/{app.pk}").json()
    assert api["light"] == "overdue" and api["due_date"] == "2026-11-25"
    overdue = overdue_applications(city, LATE_DAY)
    assert [i.application_id for i in overdue.get(city.pk, [])] == [app.pk]


def test_stored_late_extension_closed_is_a_late_reply(city, office, handler, today):
    app = _stored_late(city, office, handler, today)
    today(D(2026, 12, 3))
    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=D(2026, 12, 3), reason="见本机关网站。", backdate_reason="补录")
    cal = Calendar.from_db()
    assert services.clock_of(app, cal).is_late(cal)
    c = Client()
    c.force_login(office)
    detail = c.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "逾期答复" in detail and "按期答复" not in detail
    closed_list = c.get(reverse("applications:list") + "?show=closed").content.decode()
    assert "逾期答复" in closed_list
    public = Client()
    session = public.session
    session["apply_verified"] = [app.pk]
    session.save()
    status = public.get(reverse("apply:status", args=[app.pk])).content.decode()
    assert "逾期答复" in status


def test_a_clock_read_on_a_closed_application_stops_at_its_closed_date():
    cal = Calendar.from_db()
    running = [Event(clock.CONSULTATION, D(2026, 11, 2))]  # never ended
    c = compute(RECEIVED, running, cal, today=D(2027, 3, 1), closed=D(2026, 11, 6))
    assert c.paused_days == cal.count_working_days(D(2026, 11, 2), D(2026, 11, 6)) and not c.paused_now
