from datetime import date, timedelta

import pytest
from django.utils import timezone
from helpers import new_user

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.disclosure import services
from yangguang.disclosure.models import Application
from yangguang.disclosure.workflow import State

pytestmark = pytest.mark.django_db

D = date


@pytest.fixture
def office(city):
    return new_user("city_gkb", city, "supervisor")


@pytest.fixture
def handler(org_a):
    return new_user("a_cb", org_a, "handler")


def apply(city, **over):
    data = {
        "applicant_type": "natural", "applicant_name": "张三", "id_number": "110101199003071233",
        "contact_phone": "13812345678", "description": "2025年本市义务教育阶段学校招生计划", "channel": "online",
        "received_date": D(2025, 9, 26), **over,
    }
    return services.register(city, data)


def test_register_numbers_and_tracking_codes(city):
    a, b = apply(city), apply(city)
    assert (a.number, b.number) == ("2025-00001", "2025-00002")
    assert a.tracking_code != b.tracking_code and len(a.tracking_code) == 16
    assert services.clock_of(a).due == D(2025, 10, 30)


def test_bad_input_reported_nothing_written(city):
    before = (Application.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        apply(city, applicant_name="", applicant_type="alien", channel="pigeon", contact_phone="",
              received_date=timezone.localdate() + timedelta(days=2))
    details = "\n".join(exc.value.details)
    for text in ("申请人姓名或名称不能为空", "申请人类型不正确", "申请渠道不正确", "不能晚于今天", "联系方式"):
        assert text in details
    assert (Application.objects.count(), AuditEvent.objects.count()) == before


def test_full_path_with_correction_consultation_extension(city, org_a, office, handler):
    app = apply(city)
    app = services.request_correction(app, office, on=D(2025, 9, 30), backdate_reason="补录", until=D(2025, 10, 20), items="请写明学校名称")
    assert services.clock_of(app).due is None
    with pytest.raises(InvalidInput, match="补正只能告知一次"):
        services.request_correction(app, office, on=D(2025, 10, 9), backdate_reason="补录", until=D(2025, 10, 20), items="再补")
    app = services.receive_correction(app, office, on=D(2025, 10, 13), backdate_reason="补录")
    app = services.assign(app, office, org_a, handler)
    app = services.start_consultation(app, handler, on=D(2025, 10, 20), backdate_reason="补录", party="某学校")
    app = services.end_consultation(app, handler, on=D(2025, 10, 24), backdate_reason="补录")
    with pytest.raises(NotAllowed):
        services.approve_extension(app, handler, days=10, reason="需要检索档案", on=D(2025, 11, 3), backdate_reason="补录")
    app = services.approve_extension(app, office, days=15, reason="需要检索档案", on=D(2025, 11, 3), backdate_reason="补录")
    with pytest.raises(InvalidInput, match="20个工作日"):
        services.approve_extension(app, office, days=6, reason="还需要时间", on=D(2025, 11, 10), backdate_reason="补录")
    clock = services.clock_of(app, today=D(2025, 11, 3))
    # 20 working days from the corrected receipt (10-13) = 11-10; +4 consultation days; +15 extension.
    assert clock.start == D(2025, 10, 13) and clock.paused_days == 4 and clock.extension_days == 15
    with pytest.raises(InvalidInput):
        services.reply(app, handler, reply_type="published", outcome="3.1", on=D(2025, 11, 20), backdate_reason="补录")
    app = services.reply(app, handler, reply_type="partial", outcome="2", on=D(2025, 11, 20),
                         reason="涉及第三方个人隐私的部分不予公开。", backdate_reason="补录")
    assert app.state == State.CLOSED and app.outcome == "2" and app.closed_date == D(2025, 11, 20)
    with pytest.raises(IllegalTransition):
        services.withdraw(app, None, on=D(2025, 11, 21), backdate_reason="补录")
    actions = list(AuditEvent.objects.filter(object_type="disclosure.application", object_id=str(app.pk))
                   .values_list("action", flat=True))
    assert actions[0] == "application.register" and actions[-1] == "application.reply" and len(actions) == 8


def test_other_department_handler_cannot_act(city, org_a, org_b, office, handler):
    app = services.assign(services.accept(apply(city), office), office, org_a, handler)
    outsider = new_user("b_cb", org_b, "handler")
    with pytest.raises(NotAllowed):
        services.reply(app, outsider, reply_type="disclose", outcome="1", on=D(2025, 10, 9), backdate_reason="补录")


def test_closing_by_process_and_withdrawal(city, office):
    app = services.request_correction(apply(city), office, on=D(2025, 9, 29), backdate_reason="补录", until=D(2025, 10, 20), items="补充")
    with pytest.raises(InvalidInput):
        services.close_by_process(app, office, outcome="1", on=D(2025, 10, 21), backdate_reason="补录")
    app = services.close_by_process(app, office, outcome="6.1", on=D(2025, 10, 21), backdate_reason="补录")
    assert app.outcome == "6.1"
    other = services.withdraw(apply(city), None, on=D(2025, 9, 28), backdate_reason="补录")
    assert other.state == State.CLOSED and other.outcome == "6.3"
