"""A reply or a closing keeps the date discipline of the clock actions (issue #14, 虚报): a handler
who replies after the deadline cannot enter an earlier date and make it 按期答复 without a recorded
补录理由; no date before the last clock event, none in the future."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from helpers import new_user

from yangguang.core.errors import InvalidInput
from yangguang.core.models import AuditEvent
from yangguang.disclosure import services, timeliness

pytestmark = pytest.mark.django_db


def app_received(city, days_ago: int):
    received = timezone.localdate() - timedelta(days=days_ago)
    return services.register(city, {"applicant_type": "natural", "applicant_name": "张三", "contact_phone": "13812345678",
                                    "description": "某项目批复文件", "channel": "online", "received_date": received})


def test_a_late_reply_cannot_be_dated_back_to_look_on_time_without_a_reason(city):
    handler = new_user("rd_cb", city, "supervisor")
    app = app_received(city, 60)  # 20 working days ran out weeks ago
    due = services.clock_of(app).due
    assert due < timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        services.reply(app, handler, reply_type="disclose", outcome="1", on=due, reason="请到本机关领取。")
    assert "补录理由" in str(exc.value)
    app.refresh_from_db()
    assert app.state != "closed"
    # with the reason it is recorded, and the reason stays in the audit log with the date entered
    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=due, reason="请到本机关领取。",
                         backdate_reason="纸质答复书当日已寄出，系统今日补录")
    event = AuditEvent.objects.get(action="application.reply", object_id=str(app.pk))
    assert event.data["backdate_reason"] == "纸质答复书当日已寄出，系统今日补录" and event.data["on"] == due.isoformat()
    assert timeliness.of(app).status == timeliness.Status.ON_TIME


def test_reply_and_closing_dates_not_in_the_future_nor_before_the_last_clock_event(city):
    handler = new_user("rd_cb2", city, "supervisor")
    today = timezone.localdate()
    app = app_received(city, 5)
    app = services.request_correction(app, handler, on=today, until=today + timedelta(days=10), items="写明项目名称")
    app = services.receive_correction(app, handler, on=today)
    with pytest.raises(InvalidInput, match="不能早于该申请上一次期限事件的日期"):
        services.reply(app, handler, reply_type="disclose", outcome="1", on=today - timedelta(days=1),
                       reason="请到本机关领取。", backdate_reason="补录")
    with pytest.raises(InvalidInput):
        services.reply(app, handler, reply_type="disclose", outcome="1", on=today + timedelta(days=1),
                       reason="请到本机关领取。")
    with pytest.raises(InvalidInput, match="不能办结") as exc:
        services.close_by_process(app, handler, outcome="6.3", on=date(2020, 1, 1))
    assert exc.value.details
